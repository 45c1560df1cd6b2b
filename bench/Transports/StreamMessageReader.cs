namespace Puma.Bench.Transports;

/// <summary>
/// Reads fixed-size messages from a byte stream with large reads into its own buffer and hands
/// out spans inside it, so small messages cost one read call per batch, not per message.
/// </summary>
internal sealed class StreamMessageReader : IMessageReader
{
    private readonly Stream _stream;
    private readonly byte[] _buffer;
    private int _start;
    private int _end;

    /// <summary>Reads messages of <paramref name="messageSize"/> bytes from <paramref name="stream"/>, which it owns.</summary>
    public StreamMessageReader(Stream stream, int messageSize)
    {
        _stream = stream;
        MessageSize = messageSize;
        _buffer = GC.AllocateUninitializedArray<byte>(Math.Max(StreamMessageWriter.BatchBytes * 4, messageSize), pinned: true);
    }

    /// <inheritdoc/>
    public int MessageSize { get; }

    /// <inheritdoc/>
    public ReadOnlySpan<byte> Acquire()
    {
        if (_end - _start < MessageSize)
        {
            if (_start + MessageSize > _buffer.Length)
            {
                // Move the partial message to the front to make room for the rest.
                var have = _end - _start;
                Buffer.BlockCopy(_buffer, _start, _buffer, 0, have);
                _start = 0;
                _end = have;
            }
            while (_end - _start < MessageSize)
            {
                var n = _stream.Read(_buffer, _end, _buffer.Length - _end);
                if (n <= 0) throw new EndOfStreamException($"peer closed the stream ({_end - _start} bytes of a {MessageSize}-byte message)");
                _end += n;
            }
        }
        return _buffer.AsSpan(_start, MessageSize);
    }

    /// <inheritdoc/>
    public void Release()
    {
        _start += MessageSize;
        if (_start == _end) _start = _end = 0;
    }

    /// <summary>Closes the stream.</summary>
    public void Dispose() => _stream.Dispose();
}
