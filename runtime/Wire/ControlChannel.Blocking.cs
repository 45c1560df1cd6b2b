namespace Puma.Runtime.Wire;

/// <summary>
/// The blocking pair, for the child: <see cref="Send"/> and <see cref="Read"/> wait in the socket's own system calls on
/// the calling thread. A child's control channel is only ever used this way: its first frames then need neither the
/// socket library's event thread nor a thread-pool hop, and none of the async plumbing a fresh process would compile
/// first (milliseconds of a child's first reply). Never mix with the async pair on one channel: a socket that has
/// seen an async operation emulates blocking calls through the event thread.
/// </summary>
internal sealed partial class ControlChannel
{
    /// <summary>Writes <paramref name="frame"/> whole and flushes, blocking. Safe to call from several threads at once.</summary>
    public void Send(ControlFrame frame)
    {
        var length = CheckPayloadLength(frame);
        _writeLock.Wait();
        var buffer = System.Buffers.ArrayPool<byte>.Shared.Rent(HeaderLength + length);
        try
        {
            ThrowIfBroken();
            Encode(frame, buffer);
            _stream.Write(buffer, 0, HeaderLength + length);
            _stream.Flush();
        }
        finally
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(buffer);
            _writeLock.Release();
        }
    }

    /// <summary>Blocking <see cref="ReadAsync"/>: the next frame, or null at a clean end of the stream; same errors.</summary>
    public ControlFrame? Read()
    {
        _readLock.Wait();
        try
        {
            ThrowIfBroken();
            var read = 0;
            while (read < HeaderLength)
            {
                var n = _stream.Read(_readHeader, read, HeaderLength - read);
                if (n == 0)
                    return read == 0 ? null : throw HeaderEnded(read);

                read += n;
            }

            (var kind, var length) = DecodeHeader();
            if (length == 0)
                return ControlFrame.Empty(kind);

            var payload = new byte[length];
            try
            {
                _stream.ReadExactly(payload);
            }
            catch (EndOfStreamException e)
            {
                throw PayloadEnded(kind, length, e);
            }

            return new ControlFrame(kind, payload);
        }
        finally
        {
            _readLock.Release();
        }
    }
}
