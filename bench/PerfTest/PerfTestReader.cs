using System.Diagnostics;
using System.Globalization;
using Puma.Bench.Harness;
using Puma.Buffers.SharedMemory;

namespace Puma.Bench.PerfTest;

/// <summary>
/// A perf-test reader, in its own process:
/// <c>child perf-test RING SLOT SLOT_BYTES BURN_MS VERIFY(0|1) MAX_SECONDS</c>. Attaches to the ring,
/// opens its broadcast slot, says "ready", reads the warm-up messages and says "warm" after the
/// last, then reads every message zero-copy (acquire, check, release), spins the CPU for BURN_MS
/// after each, until the end-of-stream message. Reports one
/// "round": data messages and bytes received, seconds from the writer's start to the end of its
/// last message, and the lost / corrupt counts.
/// </summary>
internal static class PerfTestReader
{
    /// <summary>The child-mode name (<c>child perf-test ...</c>).</summary>
    public const string ChildName = "perf-test";

    /// <summary>The child's arguments after <c>child perf-test</c>.</summary>
    public static string[] Arguments(string ring, int slot, PerfTestScenario s, double maxSeconds) =>
    [
        ChildName, ring, slot.ToString(CultureInfo.InvariantCulture), s.SlotBytes.ToString(CultureInfo.InvariantCulture),
        s.ReaderBurnMilliseconds.ToString(CultureInfo.InvariantCulture), s.Verify ? "1" : "0",
        maxSeconds.ToString("0", CultureInfo.InvariantCulture),
    ];

    /// <summary>Runs the reader; returns the exit code (0, 2 on failure, 64 on bad usage).</summary>
    public static int Run(ReadOnlySpan<string> args)
    {
        return ChildGuard.Run(args, 6, "child perf-test RING SLOT SLOT_BYTES BURN_MS VERIFY MAX_SECONDS", a =>
        {
            var name = a[0];
            var slot = int.Parse(a[1], CultureInfo.InvariantCulture);
            var size = int.Parse(a[2], CultureInfo.InvariantCulture);
            var burnMs = double.Parse(a[3], CultureInfo.InvariantCulture);
            var verify = a[4] == "1";
            var format = new PerfTestMessage(size);
            using var ring = SharedMemoryRing.Attach(name);
            var reader = ring.OpenReader(slot);
            new ChildReport { Type = "ready" }.Send();
            Read(reader, format, burnMs, verify).Send();
            new ChildReport { Type = "done" }.Send();
            return 0;
        });
    }

    private static ChildReport Read(RingReader reader, PerfTestMessage format, double burnMs, bool verify)
    {
        var burnTicks = (long)(burnMs * Stopwatch.Frequency / 1000);
        long warm = 0, expected = 0, count = 0, bytes = 0, lost = 0, corrupt = 0, writerStart = 0, lastDone = 0;
        while (true)
        {
            if (!reader.TryAcquire(out var m))
            {
                if (!reader.WaitToRead()) throw new EndOfStreamException($"the ring completed without an end-of-stream message after {count} messages");
                continue;
            }
            if (!format.Check(m, verify))
            {
                corrupt++; // its sequence number cannot be trusted: the next good one shows what was lost
                reader.Release();
                continue;
            }
            var seq = PerfTestMessage.Sequence(m);
            var kind = PerfTestMessage.Kind(m);
            if (kind == PerfTestMessage.KindWarmUp)
            {
                if (seq != warm++) corrupt++;
                var total = PerfTestMessage.WriterStart(m);
                reader.Release();
                if (seq == total - 1) new ChildReport { Type = "warm" }.Send();
                continue;
            }
            if (kind == PerfTestMessage.KindEnd)
            {
                if (seq > expected) lost += seq - expected;
                else if (seq < expected) corrupt += expected - seq; // more data messages than were sent
                reader.Release();
                break;
            }
            if (seq > expected) lost += seq - expected;
            else if (seq < expected) corrupt++; // duplicated or reordered
            expected = Math.Max(expected, seq + 1);
            count++;
            bytes += m.Length;
            writerStart = PerfTestMessage.WriterStart(m);
            reader.Release();
            if (burnTicks > 0)
            {
                var until = Stopwatch.GetTimestamp() + burnTicks;
                while (Stopwatch.GetTimestamp() < until) Thread.SpinWait(20);
            }
            lastDone = Stopwatch.GetTimestamp();
        }
        var seconds = count == 0 ? 0 : (double)(lastDone - writerStart) / Stopwatch.Frequency;
        return new ChildReport { Type = "round", Round = 1, Messages = count, Bytes = bytes, Seconds = seconds, Lost = lost, Corrupt = corrupt };
    }
}
