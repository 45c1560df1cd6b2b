using System.Buffers.Binary;

namespace Puma.Buffers.Peer;

/// <summary>
/// Test messages: writer id (int), sequence (int), random filler, then a 32-bit checksum of
/// everything before it. Sizes are random between 12 bytes and a maximum.
/// </summary>
public static class TestMessages
{
    public const int MinSize = 12;

    public static int SizeFor(Random random, int maxSize) => random.Next(MinSize, maxSize + 1);

    public static void Fill(Span<byte> message, int writerId, int sequence, Random random)
    {
        BinaryPrimitives.WriteInt32LittleEndian(message, writerId);
        BinaryPrimitives.WriteInt32LittleEndian(message[4..], sequence);
        var filler = message[8..^4];
        random.NextBytes(filler);
        BinaryPrimitives.WriteUInt32LittleEndian(message[^4..], Checksum(message[..^4]));
    }

    public static (int WriterId, int Sequence) Check(ReadOnlySpan<byte> message)
    {
        if (message.Length < MinSize) throw new InvalidDataException($"message of {message.Length} bytes is shorter than {MinSize}");
        var expected = BinaryPrimitives.ReadUInt32LittleEndian(message[^4..]);
        var actual = Checksum(message[..^4]);
        if (expected != actual) throw new InvalidDataException($"checksum {actual:X8} is not {expected:X8} (length {message.Length})");
        return (BinaryPrimitives.ReadInt32LittleEndian(message), BinaryPrimitives.ReadInt32LittleEndian(message[4..]));
    }

    public static uint Checksum(ReadOnlySpan<byte> data)
    {
        var hash = 2166136261;
        foreach (var b in data) hash = (hash ^ b) * 16777619;
        return hash ^ (uint)data.Length;
    }
}
