using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Threading.Channels;

namespace Puma.Bench.Transports;

/// <summary>
/// An <see cref="IMessageWriter"/> over any typed <see cref="ChannelWriter{T}"/> of an unmanaged
/// struct whose size is the message size: the message is claimed in a local struct and written
/// with <see cref="ChannelWriter{T}.TryWrite"/> on commit. When the channel is full it blocks in
/// <c>waitForSpace</c> (a transport's blocking wait, returning false once completed) and tries
/// again, or without one, in the channel's own <see cref="ChannelWriter{T}.WriteAsync"/>.
/// </summary>
internal sealed class StructChannelWriter<T>(ChannelWriter<T> writer, Func<bool>? waitForSpace = null, IDisposable? owner = null)
    : IMessageWriter where T : unmanaged
{
    private T _scratch;
    private bool _inBatch;

    /// <inheritdoc/>
    public int MessageSize => Unsafe.SizeOf<T>();

    /// <inheritdoc/>
    public Span<byte> Claim() => MemoryMarshal.AsBytes(MemoryMarshal.CreateSpan(ref _scratch, 1));

    /// <inheritdoc/>
    public void Commit()
    {
        if (!_inBatch && writer is Puma.Buffers.IBatchingWriter batching)
        {
            batching.BeginBatch(); // published on Flush (or when the ring publishes a full batch early)
            _inBatch = true;
        }
        if (writer.TryWrite(_scratch)) return;
        if (waitForSpace is null)
        {
            var write = writer.WriteAsync(_scratch);
            if (!write.IsCompletedSuccessfully) write.AsTask().GetAwaiter().GetResult();
            return;
        }
        do
        {
            if (!waitForSpace()) throw new EndOfStreamException("the channel was completed");
        }
        while (!writer.TryWrite(_scratch));
    }

    /// <inheritdoc/>
    public void Flush()
    {
        (writer as Puma.Buffers.IBatchingWriter)?.Flush();
        _inBatch = false;
    }

    /// <summary>Completes the channel and disposes its owner.</summary>
    public void Dispose()
    {
        writer.TryComplete();
        owner?.Dispose();
    }
}
