using System.Runtime.InteropServices;

namespace Puma.Bench.Frames;

/// <summary>
/// The fixed frame shape of the <c>frames</c> suite: 7 x 8192 float64 (458,752 bytes = 448 KiB),
/// streamed through a ring of <see cref="RingFrames"/> frames. A frame is stamped with its frame
/// number in its first and last element, so a reader detects a lost, duplicated or torn frame by
/// looking at 16 bytes; the end of the stream is a frame stamped -1 first and the number of frames last.
/// </summary>
internal static class FrameFormat
{
    /// <summary>Rows of the frame.</summary>
    public const int Rows = 7;

    /// <summary>Columns of the frame.</summary>
    public const int Columns = 8192;

    /// <summary>Elements (float64) per frame.</summary>
    public const int Elements = Rows * Columns;

    /// <summary>Bytes per frame.</summary>
    public const int Bytes = Elements * sizeof(double);

    /// <summary>Frames the ring holds.</summary>
    public const int RingFrames = 32;

    /// <summary>The ring capacity in which exactly <see cref="RingFrames"/> frames fit (16-byte record header each).</summary>
    public const long RingCapacity = RingFrames * (Bytes + 16L);

    /// <summary>Stamps <paramref name="frame"/> as frame <paramref name="n"/>.</summary>
    public static void Stamp(double[] frame, long n)
    {
        frame[0] = n;
        frame[Elements - 1] = n;
    }

    /// <summary>Stamps <paramref name="frame"/> as the end of a stream of <paramref name="frames"/> frames.</summary>
    public static void StampEnd(double[] frame, long frames)
    {
        frame[0] = -1;
        frame[Elements - 1] = frames;
    }

    /// <summary>The first element of a frame in the ring (the frame number, or -1 for the end).</summary>
    public static double First(ReadOnlySpan<byte> frame) => MemoryMarshal.Read<double>(frame);

    /// <summary>The last element of a frame in the ring (the frame number, or the frame count for the end).</summary>
    public static double Last(ReadOnlySpan<byte> frame) => MemoryMarshal.Read<double>(frame[(Bytes - sizeof(double))..]);
}
