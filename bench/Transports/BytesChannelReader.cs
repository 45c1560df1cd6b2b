using System.Threading.Channels;

namespace Puma.Bench.Transports;

/// <summary>
/// An <see cref="IMessageReader"/> over a typed <see cref="ChannelReader{T}"/> of <c>byte[]</c>:
/// each <see cref="ChannelReader{T}.TryRead"/> yields the message as an array (allocated by the
/// channel: the cost of the typed path for bulk data). Waits like <see cref="StructChannelReader{T}"/>.
/// </summary>
internal sealed class BytesChannelReader(ChannelReader<byte[]> reader, int messageSize, Func<bool>? waitToRead = null, IDisposable? owner = null)
    : IMessageReader
{
    private byte[]? _current;

    /// <inheritdoc/>
    public int MessageSize => messageSize;

    /// <inheritdoc/>
    public ReadOnlySpan<byte> Acquire()
    {
        while (!reader.TryRead(out _current))
        {
            if (!ChannelWait.ToRead(reader, waitToRead)) throw new EndOfStreamException("the channel was completed");
        }
        if (_current.Length != messageSize)
            throw new InvalidDataException($"got a {_current.Length}-byte message, expected {messageSize}");
        return _current;
    }

    /// <inheritdoc/>
    public void Release() => _current = null;

    /// <summary>Disposes the owner.</summary>
    public void Dispose() => owner?.Dispose();
}
