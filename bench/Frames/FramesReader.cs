using System.Globalization;
using Puma.Bench.Harness;
using Puma.Buffers.SharedMemory;

namespace Puma.Bench.Frames;

/// <summary>
/// A frames reader, in its own process: <c>child frames RING SLOT MAX_SECONDS</c>. Attaches, opens
/// its slot, says "ready", then acquires every frame zero-copy (a span over the ring), checks its
/// stamp (frame number first and last) and releases it, until the end-of-stream frame. Reports
/// "done" with the frames received and the lost / corrupt counts.
/// </summary>
internal static class FramesReader
{
    /// <summary>The child-mode name (<c>child frames ...</c>).</summary>
    public const string ChildName = "frames";

    /// <summary>The child's arguments after <c>child</c>.</summary>
    public static string[] Arguments(string ring, int slot, double maxSeconds) =>
        [ChildName, ring, slot.ToString(CultureInfo.InvariantCulture), maxSeconds.ToString("0", CultureInfo.InvariantCulture)];

    /// <summary>Runs the reader; returns the exit code (0, 2 on failure, 64 on bad usage).</summary>
    public static int Run(ReadOnlySpan<string> args)
    {
        return ChildGuard.Run(args, 3, "child frames RING SLOT MAX_SECONDS", a =>
        {
            using var ring = SharedMemoryRing.Attach(a[0]);
            var reader = ring.OpenReader(int.Parse(a[1], CultureInfo.InvariantCulture));
            new ChildReport { Type = "ready" }.Send();
            Read(reader).Send();
            return 0;
        });
    }

    private static ChildReport Read(RingReader reader)
    {
        long expected = 0, lost = 0, corrupt = 0;
        while (true)
        {
            if (!reader.TryAcquire(out var frame))
            {
                if (!reader.WaitToRead()) throw new EndOfStreamException($"the ring completed without an end-of-stream frame after {expected} frames");
                continue;
            }
            if (frame.Length != FrameFormat.Bytes)
            {
                corrupt++;
                reader.Release();
                continue;
            }
            double first = FrameFormat.First(frame), last = FrameFormat.Last(frame);
            reader.Release();
            if (first == -1)
            {
                var sent = (long)last;
                if (sent > expected) lost += sent - expected;
                else if (sent < expected) corrupt += expected - sent;
                break;
            }
            var n = (long)first;
            if (first != last || n != first) corrupt++;
            else if (n > expected) lost += n - expected;
            else if (n < expected) corrupt++;
            expected = Math.Max(expected, n + 1);
        }
        return new ChildReport { Type = "done", Messages = expected, Bytes = expected * FrameFormat.Bytes, Lost = lost, Corrupt = corrupt };
    }
}
