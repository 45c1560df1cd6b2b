using System.Diagnostics;
using Puma.Bench.Harness;
using Puma.Buffers;
using Puma.Buffers.SharedMemory;

namespace Puma.Bench.PerfTest;

/// <summary>
/// Runs one perf-test scenario: creates a broadcast ring sized so exactly <c>slots</c> messages
/// fit, starts one reader process per slot (all at once), waits until every reader has attached
/// and said "ready", writes one ring's worth of warm-up messages (touches every page of the
/// segment in every process, compiles the readers' loop) and waits until every reader has read
/// them and said "warm", then writes for the duration, paced to writes-per-second, waiting
/// (backpressure) whenever the slowest reader is a whole ring behind; then an end-of-stream
/// message, and collects every reader's report.
/// </summary>
internal static class PerfTestRun
{
    /// <summary>
    /// The reader processes' environment: tiered compilation off, so each reader's code is fully
    /// optimized when first compiled and nothing is recompiled in the background during the run.
    /// With tiering on, 100 readers tiering up at once on 2 cores ate most of a 10 s window
    /// (the writer reached 31-40% of 24 msg/s, 100% with tiering off).
    /// </summary>
    private static readonly Dictionary<string, string> ReaderEnvironment = new() { ["DOTNET_TieredCompilation"] = "0" };

    /// <summary>The ring capacity in which exactly <paramref name="slots"/> messages of <paramref name="slotBytes"/> fit.</summary>
    /// <remarks>
    /// Every record is the same size (16-byte header + payload, 8-byte aligned) and the capacity is a
    /// whole number of records, so records never straddle the wrap and no padding is ever needed.
    /// The ring's largest message is half its capacity minus the header, so slots must be at least 2.
    /// </remarks>
    public static long Capacity(int slotBytes, int slots) => slots * RecordBytes(slotBytes);

    private static long RecordBytes(int slotBytes) => (16L + slotBytes + 7) & ~7L;

    /// <summary>Why the scenario cannot run on the ring, or null when it can.</summary>
    public static string? Unsupported(PerfTestScenario s)
    {
        const int maxReaders = 256;   // SharedMemoryRingOptions.Readers: 1 to 256 slots
        const long maxCapacity = 1L << 34;
        if (s.SlotBytes < PerfTestMessage.MinBytes) return $"--slot-bytes must be at least {PerfTestMessage.MinBytes} (sequence number, timestamp, kind, trailing sequence number)";
        if (s.Slots < 2) return "--slots must be at least 2: the ring's largest message is half its capacity minus the 16-byte record header";
        if (s.Readers > maxReaders) return $"the ring supports at most {maxReaders} reader slots, {s.Readers} asked";
        var capacity = Capacity(s.SlotBytes, s.Slots);
        if (capacity > maxCapacity) return $"the ring is at most 16 GiB, {capacity} bytes asked";
        if (capacity < 256) return $"the ring is at least 256 bytes, {capacity} asked (use more slots)";
        return null;
    }

    /// <summary>Runs the scenario; throws when the ring or a reader fails.</summary>
    public static PerfTestResult Run(PerfTestScenario s, TextWriter progress)
    {
        var format = new PerfTestMessage(s.SlotBytes);
        var childBudget = 180 + s.DurationSeconds * 3 + s.Slots * s.ReaderBurnMilliseconds / 1000;
        using var ring = SharedMemoryRing.Create(new SharedMemoryRingOptions
        {
            CapacityBytes = Capacity(s.SlotBytes, s.Slots),
            Mode = BufferMode.Broadcast,
            Readers = s.Readers,
        });
        if (ring.MaxMessageBytes < s.SlotBytes)
            throw new InvalidOperationException($"ring of {ring.CapacityBytes} bytes takes messages of at most {ring.MaxMessageBytes} bytes, {s.SlotBytes} needed");
        var children = new List<BenchChild>();
        try
        {
            var startup = Stopwatch.StartNew();
            for (var slot = 0; slot < s.Readers; slot++)
                children.Add(BenchChild.Start(PerfTestReader.Arguments(ring.Name, slot, s, childBudget), TimeSpan.FromSeconds(childBudget + 10), ReaderEnvironment));
            foreach (var c in children) c.WaitForReport("ready", TimeSpan.FromSeconds(Math.Max(1, 180 - startup.Elapsed.TotalSeconds)));
            var startupSeconds = startup.Elapsed.TotalSeconds;
            progress.Write($"[{s.Readers} reader(s) attached in {startupSeconds:0.0}s");

            using var anyExited = CancellationTokenSource.CreateLinkedTokenSource(children.Select(c => c.ExitedToken).ToArray());
            var writer = ring.OpenWriter();
            var warmUp = Stopwatch.StartNew();
            for (var i = 0; i < s.Slots; i++)
            {
                format.Write(writer.Claim(s.SlotBytes, anyExited.Token), i, s.Slots, PerfTestMessage.KindWarmUp);
                writer.Commit();
            }
            foreach (var c in children) c.WaitForReport("warm", TimeSpan.FromSeconds(Math.Max(1, 180 - warmUp.Elapsed.TotalSeconds)));
            progress.Write($", warm-up ({s.Slots} messages) {warmUp.Elapsed.TotalSeconds:0.0}s] ");
            var w = Write(writer, format, s, anyExited.Token);
            using (var endWait = CancellationTokenSource.CreateLinkedTokenSource(anyExited.Token))
            {
                endWait.CancelAfter(TimeSpan.FromSeconds(60 + s.Slots * s.ReaderBurnMilliseconds / 1000));
                format.Write(writer.Claim(s.SlotBytes, endWait.Token), w.Messages, 0, PerfTestMessage.KindEnd);
                writer.Commit();
            }
            writer.Dispose();

            var readers = new List<PerfTestReaderResult>();
            for (var i = 0; i < children.Count; i++)
            {
                var report = children[i].WaitForExit(TimeSpan.FromSeconds(120)).Single(r => r.Type == "round");
                readers.Add(new PerfTestReaderResult(i, report.Messages, report.Bytes, Math.Max(s.DurationSeconds, report.Seconds), report.Lost, report.Corrupt));
            }
            return new PerfTestResult(w, readers, startupSeconds);
        }
        finally
        {
            Parallel.ForEach(children, c => c.Dispose());
        }
    }

    /// <summary>The paced write loop: message i is due at start + i / rate; a late writer catches up without sleeping.</summary>
    private static PerfTestWriterResult Write(RingWriter writer, PerfTestMessage format, PerfTestScenario s, CancellationToken readerExited)
    {
        var freq = Stopwatch.Frequency;
        var start = Stopwatch.GetTimestamp();
        var end = start + (long)(s.DurationSeconds * freq);
        var interval = s.WritesPerSecond > 0 ? freq / s.WritesPerSecond : 0;
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(readerExited);
        deadline.CancelAfter(TimeSpan.FromSeconds(s.DurationSeconds));
        long seq = 0, waits = 0, waitTicks = 0, lastCommit = start;
        while (true)
        {
            var due = start + (long)(seq * interval);
            if (due >= end) break;
            var now = Stopwatch.GetTimestamp();
            if (now >= end) break;
            if (due > now) Pace(due);
            if (!writer.TryClaim(s.SlotBytes, out var span))
            {
                waits++;
                var w0 = Stopwatch.GetTimestamp();
                try
                {
                    span = writer.Claim(s.SlotBytes, deadline.Token);
                }
                catch (OperationCanceledException)
                {
                    readerExited.ThrowIfCancellationRequested();
                    waitTicks += Stopwatch.GetTimestamp() - w0;
                    break; // the duration ended while the ring was full
                }
                waitTicks += Stopwatch.GetTimestamp() - w0;
            }
            format.Write(span, seq, start, PerfTestMessage.KindData);
            writer.Commit();
            seq++;
            lastCommit = Stopwatch.GetTimestamp();
        }
        var seconds = Math.Max(s.DurationSeconds, (double)(lastCommit - start) / freq);
        return new PerfTestWriterResult(seq, seq * s.SlotBytes, seconds, waits, (double)waitTicks / freq);
    }

    /// <summary>Waits until <paramref name="due"/>: sleeps while more than 2 ms remain, then yields.</summary>
    private static void Pace(long due)
    {
        var twoMs = Stopwatch.Frequency / 500;
        while (true)
        {
            var remaining = due - Stopwatch.GetTimestamp();
            if (remaining <= 0) return;
            if (remaining > twoMs) Thread.Sleep((int)((remaining - twoMs / 2) * 1000 / Stopwatch.Frequency));
            else Thread.Yield();
        }
    }
}
