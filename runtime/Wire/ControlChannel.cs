using System.Buffers;
using System.Buffers.Binary;

namespace Puma.Runtime.Wire;

/// <summary>
/// Length-prefixed <see cref="ControlFrame"/>s over a bidirectional byte stream (the socket between a
/// parent and its child). Sends are thread-safe and may be concurrent: each frame is written whole, under a
/// lock, and flushed. Reads are serialized too, but the protocol expects one reader per side.
/// </summary>
/// <remarks>
/// Wire format per frame: payload length as int32 little endian, the kind byte, the payload. A length outside
/// 0..<see cref="MaxPayloadLength"/> makes <see cref="ReadAsync"/> throw <see cref="InvalidDataException"/>
/// naming the value and the limit, so a corrupt stream never makes the reader allocate gigabytes. When a send
/// or a read is cancelled in the middle of a frame the channel is broken: later calls throw.
/// </remarks>
internal sealed partial class ControlChannel : IAsyncDisposable
{
    /// <summary>The default payload limit, 64 MiB.</summary>
    public const int DefaultMaxPayloadLength = 64 * 1024 * 1024;

    private const int HeaderLength = 5;

    private readonly Stream _stream;
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private readonly SemaphoreSlim _readLock = new(1, 1);
    private readonly byte[] _readHeader = new byte[HeaderLength];
    private volatile string? _broken;

    /// <summary>Wraps <paramref name="stream"/>; the channel owns it and disposes it.</summary>
    public ControlChannel(Stream stream, int maxPayloadLength = DefaultMaxPayloadLength)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxPayloadLength);
        _stream = stream;
        MaxPayloadLength = maxPayloadLength;
    }

    /// <summary>The largest payload accepted in either direction, in bytes.</summary>
    public int MaxPayloadLength { get; }

    /// <summary>Writes <paramref name="frame"/> whole and flushes. Safe to call from several threads at once.</summary>
    public async ValueTask SendAsync(ControlFrame frame, CancellationToken cancellationToken = default)
    {
        var length = CheckPayloadLength(frame);
        await _writeLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        var buffer = ArrayPool<byte>.Shared.Rent(HeaderLength + length);
        try
        {
            ThrowIfBroken();
            Encode(frame, buffer);
            try
            {
                await _stream.WriteAsync(buffer.AsMemory(0, HeaderLength + length), cancellationToken).ConfigureAwait(false);
                await _stream.FlushAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                _broken = "a send was cancelled in the middle of a frame";
                throw;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
            _writeLock.Release();
        }
    }

    /// <summary>
    /// Reads the next frame, or returns null when the stream ends cleanly between frames (the peer closed its
    /// end or died). Throws <see cref="EndOfStreamException"/> when it ends inside a frame and
    /// <see cref="InvalidDataException"/> for a corrupt length or an unknown kind.
    /// </summary>
    public async ValueTask<ControlFrame?> ReadAsync(CancellationToken cancellationToken = default)
    {
        await _readLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ThrowIfBroken();
            try
            {
                return await ReadFrameAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                _broken = "a read was cancelled in the middle of a frame";
                throw;
            }
        }
        finally
        {
            _readLock.Release();
        }
    }

    private async ValueTask<ControlFrame?> ReadFrameAsync(CancellationToken cancellationToken)
    {
        var read = 0;
        while (read < HeaderLength)
        {
            var n = await _stream.ReadAsync(_readHeader.AsMemory(read), cancellationToken).ConfigureAwait(false);
            if (n == 0)
            {
                if (read == 0)
                    return null;

                throw HeaderEnded(read);
            }

            read += n;
        }

        (var kind, var length) = DecodeHeader();
        if (length == 0)
            return ControlFrame.Empty(kind);

        var payload = new byte[length];
        try
        {
            await _stream.ReadExactlyAsync(payload, cancellationToken).ConfigureAwait(false);
        }
        catch (EndOfStreamException e)
        {
            throw PayloadEnded(kind, length, e);
        }

        return new ControlFrame(kind, payload);
    }

    /// <summary>The payload length of <paramref name="frame"/>; throws when it is above <see cref="MaxPayloadLength"/>.</summary>
    private int CheckPayloadLength(ControlFrame frame)
    {
        var length = frame.Payload.Length;
        if (length > MaxPayloadLength)
        {
            throw new ArgumentException(
                $"Control frame {frame.Kind} has a payload of {length} bytes, more than the limit of {MaxPayloadLength} bytes.",
                nameof(frame));
        }

        return length;
    }

    /// <summary>Writes <paramref name="frame"/>'s header and payload into <paramref name="buffer"/>.</summary>
    private static void Encode(ControlFrame frame, byte[] buffer)
    {
        BinaryPrimitives.WriteInt32LittleEndian(buffer, frame.Payload.Length);
        buffer[4] = (byte)frame.Kind;
        frame.Payload.Span.CopyTo(buffer.AsSpan(HeaderLength));
    }

    /// <summary>The kind and payload length in the header just read; a corrupt one breaks the channel and throws.</summary>
    private (ControlMessageKind Kind, int Length) DecodeHeader()
    {
        var length = BinaryPrimitives.ReadInt32LittleEndian(_readHeader);
        if (length < 0 || length > MaxPayloadLength)
        {
            _broken = $"a corrupt frame length {length} was read";
            throw new InvalidDataException(
                $"Corrupt control frame: payload length {length} is outside 0..{MaxPayloadLength} bytes " +
                $"(limit {MaxPayloadLength / (1024.0 * 1024):0.##} MiB). The stream is not a Puma control channel or is out of sync.");
        }

        var kind = (ControlMessageKind)_readHeader[4];
        if (!Enum.IsDefined(kind))
        {
            _broken = $"an unknown frame kind {(byte)kind} was read";
            throw new InvalidDataException($"Corrupt control frame: unknown kind {(byte)kind} (payload length {length}).");
        }

        return (kind, length);
    }

    private static EndOfStreamException HeaderEnded(int read) =>
        new($"The control stream ended inside a frame header ({read} of {HeaderLength} bytes).");

    private static EndOfStreamException PayloadEnded(ControlMessageKind kind, int length, EndOfStreamException inner) =>
        new($"The control stream ended inside the payload of a {kind} frame of {length} bytes.", inner);

    private void ThrowIfBroken()
    {
        if (_broken is { } reason)
            throw new InvalidOperationException($"The control channel is unusable: {reason}.");
    }

    /// <summary>Closes the stream; the peer reads end of file.</summary>
    public ValueTask DisposeAsync() => _stream.DisposeAsync();
}
