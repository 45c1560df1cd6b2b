using System.Threading.Channels;

namespace Puma.Bench.Transports;

/// <summary>
/// An <see cref="IMessageWriter"/> over a typed <see cref="ChannelWriter{T}"/> of
/// <c>byte[]</c> for messages too large for a struct (64 KiB, 1 MiB): the message is claimed in a
/// reused array and written with <see cref="ChannelWriter{T}.TryWrite"/> on commit; a
/// cross-process channel copies the bytes then, so the array is reused. (An in-process channel
/// keeps the reference: it must not be used with this writer.)
/// </summary>
internal sealed class BytesChannelWriter(ChannelWriter<byte[]> writer, int messageSize, IDisposable? owner = null) : IMessageWriter
{
    private readonly byte[] _scratch = new byte[messageSize];

    /// <inheritdoc/>
    public int MessageSize => messageSize;

    /// <inheritdoc/>
    public Span<byte> Claim() => _scratch;

    /// <inheritdoc/>
    public void Commit()
    {
        while (!writer.TryWrite(_scratch))
        {
            var wait = writer.WaitToWriteAsync();
            if (!(wait.IsCompletedSuccessfully ? wait.Result : wait.AsTask().GetAwaiter().GetResult()))
                throw new EndOfStreamException("the channel was completed");
        }
    }

    /// <inheritdoc/>
    public void Flush() { }

    /// <summary>Completes the channel and disposes its owner.</summary>
    public void Dispose()
    {
        writer.TryComplete();
        owner?.Dispose();
    }
}
