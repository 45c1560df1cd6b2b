using System.Buffers.Binary;
using System.Text;
using Puma.Buffers.SharedMemory;

namespace Puma.Runtime.Cluster.Bridge;

/// <summary>
/// The bridge's wire format, after the handshake (<see cref="BridgeHandshake"/>): a sequence of frames,
/// each starting with an 8-byte header: a little-endian <c>int32</c> and an <c>int32</c> of flags.
/// <list type="bullet">
/// <item><c>header ≥ 0</c>: one item, <c>header</c> payload bytes follow; the flags carry the ring record's null
/// flag (an item that is null, not empty). The header has the shape of a ring record's length and kind words, so a
/// large item goes on the wire straight from shared memory, header included, in one write.</item>
/// <item><see cref="EndCompleted"/>: the ring completed normally; nothing follows and the stream ends.</item>
/// <item><see cref="EndWithError"/>: the ring completed with an error; an <c>int32</c> body length follows,
/// then the body: type, message and stack, each an <c>int32</c> byte count and UTF-8 text.</item>
/// </list>
/// </summary>
/// <remarks>
/// The sender coalesces small items into one buffer of <see cref="BatchBytes"/> and writes it when it is
/// full or when the ring has nothing more right now (a lone item goes at once): one network write per
/// batch. An item of <see cref="LargeItemBytes"/> or more is written straight from the ring, with the ring
/// record's own length and kind words as its header: one write, no copy.
/// </remarks>
internal static class BridgeFrames
{
    /// <summary>Bytes of a frame header: the <c>int32</c> header and the <c>int32</c> flags.</summary>
    public const int HeaderBytes = 8;

    /// <summary>The item flags the bridge keeps: a ring record's null flag.</summary>
    public const int ItemFlags = Puma.Buffers.SharedMemory.RingLayout.FlagNull;

    /// <summary>Header of the end marker of a ring that completed normally.</summary>
    public const int EndCompleted = -1;

    /// <summary>Header of the end marker of a ring that completed with an error.</summary>
    public const int EndWithError = -2;

    /// <summary>Size of the sender's coalescing buffer (one network write).</summary>
    public const int BatchBytes = 256 * 1024;

    /// <summary>
    /// Items of this size or more are written from the ring's memory (header included: one write), not copied into
    /// the batch. With two writes per large item (header, then payload) copying items below 128 KiB had measured
    /// better; with one write, 16 KiB items and up gain from skipping the copy.
    /// </summary>
    public const int LargeItemBytes = 16 * 1024;

    /// <summary>Size of the receiver's read buffer: several batches per read when the sender is ahead.</summary>
    public const int ReceiveBufferBytes = 512 * 1024;

    /// <summary>Largest error body a receiver accepts (type, message and stack): it must fit the read buffer after the two headers.</summary>
    public const int MaxErrorBytes = ReceiveBufferBytes - 2 * HeaderBytes;

    private const int MaxTypeBytes = 1024;
    private const int MaxMessageBytes = 16 * 1024;
    private const int MaxStackBytes = 256 * 1024; // with the type, the message and three lengths: well under MaxErrorBytes

    /// <summary>
    /// Encodes the end marker for <paramref name="error"/> (null: completed normally), header included.
    /// A <see cref="RemoteBufferException"/> (a ring's own completion error) keeps its remote type and stack.
    /// </summary>
    public static byte[] EncodeEnd(Exception? error)
    {
        if (error is null)
        {
            var end = new byte[HeaderBytes];
            BinaryPrimitives.WriteInt32LittleEndian(end, EndCompleted);
            return end;
        }
        var (type, message, stack) = error is RemoteBufferException remote
            ? (remote.RemoteType, remote.Message, remote.RemoteStackTrace)
            : (error.GetType().FullName ?? error.GetType().Name, error.Message, error.StackTrace ?? "");
        var parts = new[] { Truncate(type, MaxTypeBytes), Truncate(message, MaxMessageBytes), Truncate(stack, MaxStackBytes) };
        var body = 0;
        foreach (var part in parts) body += HeaderBytes + part.Length;
        var frame = new byte[2 * HeaderBytes + body];
        BinaryPrimitives.WriteInt32LittleEndian(frame, EndWithError);
        BinaryPrimitives.WriteInt32LittleEndian(frame.AsSpan(HeaderBytes), body);
        var at = 2 * HeaderBytes;
        foreach (var part in parts)
        {
            BinaryPrimitives.WriteInt32LittleEndian(frame.AsSpan(at), part.Length);
            part.CopyTo(frame, at + HeaderBytes);
            at += HeaderBytes + part.Length;
        }
        return frame;
    }

    /// <summary>Decodes an error body (after its length) into the exception a receiver reports.</summary>
    /// <exception cref="InvalidDataException">The body is not three length-prefixed strings; the message names the field and the length.</exception>
    public static RemoteBufferException DecodeError(ReadOnlySpan<byte> body)
    {
        var type = ReadString(ref body, "type");
        var message = ReadString(ref body, "message");
        var stack = ReadString(ref body, "stack");
        if (!body.IsEmpty) throw new InvalidDataException($"Bridge end marker: {body.Length} byte(s) left after the error's type, message and stack.");
        return new RemoteBufferException(type, message, stack);
    }

    private static string ReadString(ref ReadOnlySpan<byte> body, string field)
    {
        if (body.Length < HeaderBytes) throw new InvalidDataException($"Bridge end marker: the error's {field} needs a 4-byte length, {body.Length} byte(s) remain.");
        var length = BinaryPrimitives.ReadInt32LittleEndian(body);
        body = body[HeaderBytes..];
        if ((uint)length > (uint)body.Length)
            throw new InvalidDataException($"Bridge end marker: the error's {field} length {length} is outside 0..{body.Length}.");
        var text = Encoding.UTF8.GetString(body[..length]);
        body = body[length..];
        return text;
    }

    private static byte[] Truncate(string text, int maxBytes)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        if (bytes.Length <= maxBytes) return bytes;
        var length = maxBytes;
        while (length > 0 && (bytes[length] & 0xC0) == 0x80) length--; // do not cut a UTF-8 sequence
        return bytes[..length];
    }
}
