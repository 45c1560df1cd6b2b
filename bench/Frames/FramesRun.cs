using System.Diagnostics;
using System.Runtime.InteropServices;
using Puma.Bench.Harness;
using Puma.Buffers.SharedMemory;

namespace Puma.Bench.Frames;

/// <summary>
/// One frames case over the ring: creates a ring of exactly 32 frames, starts the reader processes
/// (one slot each), waits until all have attached ("ready"), then copies frames in (claim, copy
/// from the preallocated <c>double[]</c> via <see cref="MemoryMarshal"/>, commit) for the rounds,
/// sends the end-of-stream frame and checks that every reader got every frame.
/// The writer times the rounds: the ring is lossless, so it runs at the slowest reader's pace.
/// </summary>
internal static class FramesRun
{
    /// <summary>Runs the case; throws when a reader fails or did not get every frame intact.</summary>
    public static (List<double> FramesPerSecond, List<double> GigabytesPerSecond) Run(FramesCase c, FramesSettings settings)
    {
        var budget = 120 + (settings.WarmUp + settings.Round).TotalSeconds * (settings.Repeats + 1) * 4;
        using var ring = SharedMemoryRing.Create(new SharedMemoryRingOptions { CapacityBytes = FrameFormat.RingCapacity, Mode = c.Mode, Readers = c.Readers });
        var children = new List<BenchChild>();
        try
        {
            for (var slot = 0; slot < c.Readers; slot++)
                children.Add(BenchChild.Start(FramesReader.Arguments(ring.Name, slot, budget), TimeSpan.FromSeconds(budget + 10)));
            foreach (var child in children) child.WaitForReport("ready", TimeSpan.FromSeconds(60));
            using var anyExited = CancellationTokenSource.CreateLinkedTokenSource(children.Select(ch => ch.ExitedToken).ToArray());
            var writer = ring.OpenWriter();
            var frame = new double[FrameFormat.Elements];
            var bytes = MemoryMarshal.AsBytes(frame.AsSpan());
            var (fps, gbps, sent) = FrameRounds.Run(settings, n =>
            {
                FrameFormat.Stamp(frame, n);
                var span = writer.Claim(FrameFormat.Bytes, anyExited.Token);
                MemoryMarshal.AsBytes(frame.AsSpan()).CopyTo(span);
                writer.Commit();
            });
            FrameFormat.StampEnd(frame, sent);
            bytes.CopyTo(writer.Claim(FrameFormat.Bytes, anyExited.Token));
            writer.Commit();
            writer.Dispose();
            for (var i = 0; i < children.Count; i++)
            {
                var done = children[i].WaitForExit(TimeSpan.FromSeconds(60)).Single(r => r.Type == "done");
                if (done.Messages != sent || done.Lost != 0 || done.Corrupt != 0)
                    throw new InvalidDataException($"reader {i + 1} got {done.Messages} of {sent} frames, lost {done.Lost}, corrupt {done.Corrupt}");
            }
            return (fps, gbps);
        }
        finally
        {
            foreach (var child in children) child.Dispose();
        }
    }
}
