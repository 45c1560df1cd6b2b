using System.Threading.Channels;

namespace Puma.Bench.Transports;

/// <summary>
/// An <see cref="IMessageWriter"/> over a typed <see cref="ChannelWriter{T}"/> of
/// <c>byte[]</c> for messages too large for a struct (64 KiB, 1 MiB): the message is claimed in a
/// reused array and written with <see cref="ChannelWriter{T}.TryWrite"/> on commit; a
/// cross-process channel copies the bytes then, so the array can be reused (an in-process
/// channel keeps the reference: do not use this writer with one). Waits for room like
/// <see cref="StructChannelWriter{T}"/>.
/// </summary>
internal sealed class BytesChannelWriter(ChannelWriter<byte[]> writer, int messageSize, Func<bool>? waitForSpace = null, IDisposable? owner = null)
    : IMessageWriter
{
    private readonly byte[] _scratch = new byte[messageSize];
    private bool _inBatch;

    /// <inheritdoc/>
    public int MessageSize => messageSize;

    /// <inheritdoc/>
    public Span<byte> Claim() => _scratch;

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
