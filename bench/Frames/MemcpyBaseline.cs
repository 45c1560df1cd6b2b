using System.Runtime.InteropServices;

namespace Puma.Bench.Frames;

/// <summary>
/// The baseline of the frames suite: one thread in this process copying the frame
/// (<c>double[7*8192]</c> through <see cref="MemoryMarshal.AsBytes{T}(Span{T})"/>) into the next of
/// 32 frame-sized places of a plain array (the ring's footprint), nothing else. It is what the
/// ring's writer does per frame without the ring and without a reader: an upper bound.
/// </summary>
internal static class MemcpyBaseline
{
    /// <summary>Measures frames/s and GB/s of the copy.</summary>
    public static (List<double> FramesPerSecond, List<double> GigabytesPerSecond) Run(FramesSettings settings)
    {
        var frame = new double[FrameFormat.Elements];
        var target = GC.AllocateUninitializedArray<byte>(FrameFormat.RingFrames * FrameFormat.Bytes);
        var (fps, gbps, _) = FrameRounds.Run(settings, n =>
        {
            FrameFormat.Stamp(frame, n);
            MemoryMarshal.AsBytes(frame.AsSpan()).CopyTo(target.AsSpan((int)(n % FrameFormat.RingFrames) * FrameFormat.Bytes, FrameFormat.Bytes));
        });
        return (fps, gbps);
    }
}
