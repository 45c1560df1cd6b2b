namespace Puma.Bench.Transports;

/// <summary>
/// Writes fixed-size messages to a byte stream (pipe, socket), batched: messages are claimed
/// directly in a batch buffer (64 KiB, or one message when larger) that goes out in one write when
/// full or on <see cref="Flush"/>. This is the natural fast way to use a stream.
/// </summary>
internal sealed class StreamMessageWriter : IMessageWriter
{
    /// <summary>The batch buffer size for small messages.</summary>
    public const int BatchBytes = 64 * 1024;

    private readonly Stream _stream;
    private readonly byte[] _buffer;
    private int _used;

    /// <summary>Writes messages of <paramref name="messageSize"/> bytes to <paramref name="stream"/>, which it owns.</summary>
    private readonly bool _batched;

    public StreamMessageWriter(Stream stream, int messageSize, bool batched = true)
    {
        _batched = batched;
        _stream = stream;
        MessageSize = messageSize;
        _buffer = GC.AllocateUninitializedArray<byte>(Math.Max(BatchBytes, messageSize), pinned: true);
    }

    /// <inheritdoc/>
    public int MessageSize { get; }

    /// <inheritdoc/>
    public Span<byte> Claim()
    {
        if (_used + MessageSize > _buffer.Length) WriteBatch();
        return _buffer.AsSpan(_used, MessageSize);
    }

    /// <inheritdoc/>
    public void Commit()
    {
        _used += MessageSize;
        if (!_batched) WriteBatch(); // one write call per message: the pipe as most code uses it
    }

    /// <inheritdoc/>
    public void Flush()
    {
        WriteBatch();
        _stream.Flush();
    }

    private void WriteBatch()
    {
        if (_used == 0) return;
        _stream.Write(_buffer, 0, _used);
        _used = 0;
    }

    /// <summary>Flushes what is left (best effort) and closes the stream.</summary>
    public void Dispose()
    {
        try { WriteBatch(); }
        catch (IOException) { }
        catch (ObjectDisposedException) { }
        finally { _stream.Dispose(); }
    }
}
