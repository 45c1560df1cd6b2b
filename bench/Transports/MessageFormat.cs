using System.Buffers.Binary;

namespace Puma.Bench.Transports;

/// <summary>
/// The layout of every benchmark message, so that the receiver can verify each one and no
/// transport can cheat (drop, reorder, duplicate, tear or fake data):
/// <code>
/// [0..8)          sequence number (little endian), contiguous from 0 across the whole run
/// [8..12)         kind: data, end of round, end of stream
/// [12..16)        round
/// [16..size-8)    payload: a fixed pseudo-random pattern read at offset (sequence % 251)
/// [size-8..size)  the sequence number again (a torn message has two different numbers)
/// </code>
/// Filling is one memcpy and verifying one vectorized compare, the cost a real producer and
/// consumer of the data would pay at least.
/// </summary>
internal static class MessageFormat
{
    /// <summary>The smallest message size the layout fits in.</summary>
    public const int MinSize = 32;

    private const int PatternShift = 251;
    private static byte[] s_pattern = MakePattern(64 * 1024);

    /// <summary>An ordinary message.</summary>
    public const int KindData = 0;
    /// <summary>Closes a measured round; counts as a message of the round.</summary>
    public const int KindEndRound = 1;
    /// <summary>The last message of the run.</summary>
    public const int KindEndStream = 2;

    private static byte[] MakePattern(int length)
    {
        var p = new byte[length];
        var x = 0x9E3779B9;
        for (var i = 0; i < p.Length; i++)
        {
            x ^= x << 13; x ^= x >> 17; x ^= x << 5;
            p[i] = (byte)x;
        }
        return p;
    }

    private static ReadOnlySpan<byte> Pattern(long seq, int length)
    {
        var p = s_pattern;
        if (p.Length < length + PatternShift)
        {
            p = MakePattern(length + PatternShift);
            s_pattern = p;
        }
        return p.AsSpan((int)(seq % PatternShift), length);
    }

    /// <summary>Makes sure the pattern is long enough for <paramref name="size"/> before timing starts.</summary>
    public static void Prepare(int size)
    {
        if (size < MinSize) throw new ArgumentOutOfRangeException(nameof(size), size, $"messages are at least {MinSize} bytes");
        _ = Pattern(0, size - 24);
    }

    /// <summary>Fills <paramref name="message"/> as message <paramref name="seq"/>.</summary>
    public static void Write(Span<byte> message, long seq, int kind, int round)
    {
        BinaryPrimitives.WriteInt64LittleEndian(message, seq);
        BinaryPrimitives.WriteInt32LittleEndian(message[8..], kind);
        BinaryPrimitives.WriteInt32LittleEndian(message[12..], round);
        Pattern(seq, message.Length - 24).CopyTo(message[16..]);
        BinaryPrimitives.WriteInt64LittleEndian(message[^8..], seq);
    }

    /// <summary>The kind of a message.</summary>
    public static int Kind(ReadOnlySpan<byte> message) => BinaryPrimitives.ReadInt32LittleEndian(message[8..]);

    /// <summary>The round of a message.</summary>
    public static int Round(ReadOnlySpan<byte> message) => BinaryPrimitives.ReadInt32LittleEndian(message[12..]);

    /// <summary>Throws <see cref="InvalidDataException"/> unless <paramref name="message"/> is intact message <paramref name="expectedSeq"/>.</summary>
    public static void Verify(ReadOnlySpan<byte> message, long expectedSeq)
    {
        var seq = BinaryPrimitives.ReadInt64LittleEndian(message);
        var tail = BinaryPrimitives.ReadInt64LittleEndian(message[^8..]);
        if (seq != expectedSeq || tail != expectedSeq)
            throw new InvalidDataException($"message {expectedSeq}: got sequence {seq} (tail {tail})");
        if (!message[16..^8].SequenceEqual(Pattern(seq, message.Length - 24)))
            throw new InvalidDataException($"message {expectedSeq}: payload differs from what was sent");
    }
}
