using System.Buffers.Binary;

namespace Puma.Bench.Pipeline;

/// <summary>
/// The item of the <c>1m-leased</c> case: a <c>byte[]</c> of 16 header bytes (sequence number,
/// produce stamp) and the payload, written in place by claims and read in place by leases.
/// </summary>
public static class LeasedFrame
{
    /// <summary>Header bytes before the payload.</summary>
    public const int HeaderBytes = 16;

    /// <summary>Writes the header.</summary>
    public static void WriteHeader(Span<byte> frame, long seq, long stamp)
    {
        BinaryPrimitives.WriteInt64LittleEndian(frame, seq);
        BinaryPrimitives.WriteInt64LittleEndian(frame[8..], stamp);
    }

    /// <summary>The sequence number.</summary>
    public static long Seq(ReadOnlySpan<byte> frame) => BinaryPrimitives.ReadInt64LittleEndian(frame);

    /// <summary>The produce stamp.</summary>
    public static long Stamp(ReadOnlySpan<byte> frame) => BinaryPrimitives.ReadInt64LittleEndian(frame[8..]);
}
