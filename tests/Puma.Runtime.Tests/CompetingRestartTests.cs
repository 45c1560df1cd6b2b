using Puma.Buffers;
using Puma.Runnables;
using Puma.Runtime.Tests.Runnables;
using static Puma.Runtime.Tests.TestSupport;

namespace Puma.Runtime.Tests;

/// <summary>
/// Restarting a competing reader that runs in a child process, after more than the ring's byte
/// capacity has passed through the ring (issue 9, defect 4).
/// </summary>
public class CompetingRestartTests
{
    /// <summary>The work ring's capacity: each frame record takes at least 24 bytes, so FailAt frames pass far more.</summary>
    private const long RingBytes = 4096;

    private const long FailAt = 1000;

    [Fact]
    public async Task ACompetingReaderProcessRestartsAfterMoreThanTheRingCapacityHasPassed()
    {
        const int count = 2000;
        await using var runtime = NewRuntime(FailurePolicy.Restart(3, TimeSpan.FromMinutes(1)));
        var work = runtime.CreateBuffer<Frame>("work", 8, BufferMode.Competing, capacityBytes: RingBytes);
        var results = runtime.CreateBuffer<Frame>("results", 8);
        runtime.Add(new Producer { Output = work.Writer, Count = count }, Placement.Thread);
        runtime.Add(new FlakyCompetingWorker { Name = "worker", Id = 0, Input = work.Reader, Output = results.Writer, FailAt = FailAt }, Placement.Process);
        var reader = results.Reader;
        await runtime.StartAsync();

        var frames = await ReadAllAsync(reader);
        await runtime.WaitAsync().WaitAsync(Patience);

        // Frame 1000 was being handled when the first run threw: it is lost with that run (it was
        // taken from the ring before its handler ran). Every other frame arrives exactly once, in
        // order: the first run handled 0..999, the restarted run 1001..1999.
        Assert.Equal(Enumerable.Range(0, count).Where(i => i != FailAt).Select(i => (long)i), frames.Select(f => f.Seq));
        Assert.All(frames, f => Assert.Equal(f.Seq < FailAt ? 0 : 100, f.Value));
        Assert.Equal(["failing worker 1000 0"], Failures(runtime));
    }

    [Fact]
    public async Task OneOfTwoCompetingReaderProcessesRestartsAfterMoreThanTheRingCapacityHasPassed()
    {
        const int count = 3000;
        await using var runtime = NewRuntime(FailurePolicy.Restart(3, TimeSpan.FromMinutes(1)));
        var work = runtime.CreateBuffer<Frame>("work", 8, BufferMode.Competing, capacityBytes: RingBytes);
        var results = runtime.CreateBuffer<Frame>("results", 8);
        runtime.Add(new Producer { Output = work.Writer, Count = count }, Placement.Process);
        for (var id = 0; id < 2; id++)
            runtime.Add(new FlakyCompetingWorker { Name = $"worker{id}", Id = id, Input = work.Reader, Output = results.Writer, FailAt = FailAt }, Placement.Process);
        var reader = results.Reader;
        await runtime.StartAsync();

        var frames = await ReadAllAsync(reader);
        await runtime.WaitAsync().WaitAsync(Patience);

        // Exactly one worker took frame 1000 and threw; that frame is lost with its run, every other
        // frame arrives exactly once.
        Assert.Equal(Enumerable.Range(0, count).Where(i => i != FailAt).Select(i => (long)i), frames.Select(f => f.Seq).Order());
        var failures = Failures(runtime);
        var failure = Assert.Single(failures);
        var failed = failure == "failing worker0 1000 0" ? 0 : 1;
        Assert.Equal($"failing worker{failed} 1000 0", failure);
        // Only the worker that failed had a second run (Value 100 + its id); the other was never restarted.
        Assert.All(frames, f => Assert.Contains(f.Value, new double[] { 0, 1, 100 + failed }));
    }

    private static List<string> Failures(PumaRuntime runtime)
    {
        var failures = new List<string>();
        while (runtime.Status.TryRead(out var report))
        {
            if (report.Value.ToString() is { } text && text.StartsWith("failing ", StringComparison.Ordinal))
                failures.Add(text);
        }

        return failures;
    }
}
