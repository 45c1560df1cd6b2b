using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Threading.Channels;

namespace Puma.Bench.Transports;

/// <summary>
/// An <see cref="IMessageWriter"/> over any typed <see cref="ChannelWriter{T}"/> of an unmanaged
/// struct whose size is the message size: the message is claimed in a local struct and written
/// with <see cref="ChannelWriter{T}.TryWrite"/> on commit (waiting with
/// <see cref="ChannelWriter{T}.WaitToWriteAsync"/> only when full). For Puma's shared-memory
/// channel ends ("puma-shm") as for any in-process channel.
/// </summary>
internal sealed class StructChannelWriter<T> : IMessageWriter where T : unmanaged
{
    private readonly ChannelWriter<T> _writer;
    private readonly IDisposable? _owner;
    private T _scratch;

    /// <summary>Writes through <paramref name="writer"/>; completes it and disposes <paramref name="owner"/> on dispose.</summary>
    public StructChannelWriter(ChannelWriter<T> writer, IDisposable? owner = null)
    {
        _writer = writer;
        _owner = owner;
    }

    /// <inheritdoc/>
    public int MessageSize => Unsafe.SizeOf<T>();

    /// <inheritdoc/>
    public Span<byte> Claim() => MemoryMarshal.AsBytes(MemoryMarshal.CreateSpan(ref _scratch, 1));

    /// <inheritdoc/>
    public void Commit()
    {
        while (!_writer.TryWrite(_scratch))
        {
            var wait = _writer.WaitToWriteAsync();
            if (!(wait.IsCompletedSuccessfully ? wait.Result : wait.AsTask().GetAwaiter().GetResult()))
                throw new EndOfStreamException("the channel was completed");
        }
    }

    /// <inheritdoc/>
    public void Flush() { }

    /// <summary>Completes the channel and disposes its owner.</summary>
    public void Dispose()
    {
        _writer.TryComplete();
        _owner?.Dispose();
    }
}
