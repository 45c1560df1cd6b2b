using Puma.Buffers;
using Puma.Runnables;
using Puma.Runtime.Tests.Runnables;
using static Puma.Runtime.Tests.TestSupport;

namespace Puma.Runtime.Tests;

/// <summary>README, "Validation at start": the rules not covered by ValidationTests.</summary>
public class PromiseTestsValidation
{
    [Theory]
    [MemberData(nameof(Placements), MemberType = typeof(TestSupport))]
    public async Task APortBoundToAnotherRuntimesBufferIsRejected(Placement placement)
    {
        await using var other = NewRuntime();
        var foreign = other.CreateBuffer<Frame>("shared", 4);
        await using var runtime = NewRuntime();
        runtime.CreateBuffer<Frame>("own", 4);
        runtime.Add(new Producer { Name = "producer", Output = foreign.Writer }, placement);
        runtime.Add(new Scale { Name = "scale", Input = foreign.Reader, Output = runtime.CreateBuffer<Frame>("shared", 4).Writer }, placement);
        var error = await Assert.ThrowsAsync<PumaValidationException>(() => runtime.StartAsync());
        Assert.Equal(
        [
            "Runnable 'producer': port Output is bound to buffer 'shared', which belongs to another runtime.",
            "Runnable 'scale': port Input is bound to buffer 'shared', which belongs to another runtime.",
            "Buffer 'own' has no writer: bind buffer.Writer to a runnable's output.",
            "Buffer 'own' has no reader: bind buffer.Reader to a runnable's input.",
            "Buffer 'shared' has no reader: bind buffer.Reader to a runnable's input.",
        ], error.Problems);
    }

    /// <summary>
    /// A Competing buffer that crosses processes gives each reader runnable its own ring slot, so at most one
    /// of its readers may run in a thread: two are rejected, one is accepted.
    /// </summary>
    [Theory]
    [MemberData(nameof(Placements), MemberType = typeof(TestSupport))]
    public async Task ACompetingBufferAcrossProcessesTakesAtMostOneThreadReader(Placement producer)
    {
        await using (var runtime = NewRuntime())
        {
            AddCompetingGraph(runtime, producer, threadWorkers: 2);
            var error = await Assert.ThrowsAsync<PumaValidationException>(() => runtime.StartAsync());
            Assert.Equal(
                ["Buffer 'work' is Competing across processes, and 2 of its readers run in threads: place them in processes, or put at most one in a thread."],
                error.Problems);
        }

        await using (var runtime = NewRuntime())
        {
            var results = AddCompetingGraph(runtime, producer, threadWorkers: 1);
            await runtime.StartAsync();
            var frames = await ReadAllAsync(results);
            await runtime.WaitAsync().WaitAsync(Patience);
            Assert.Equal(Enumerable.Range(0, 300).Select(i => (long)i), frames.Select(f => f.Seq).Order());
        }
    }

    private static BufferReader<Frame> AddCompetingGraph(PumaRuntime runtime, Placement producer, int threadWorkers)
    {
        var work = runtime.CreateBuffer<Frame>("work", 8, BufferMode.Competing);
        var results = runtime.CreateBuffer<Frame>("results", 8);
        runtime.Add(new Producer { Name = "producer", Output = work.Writer, Count = 300 }, producer);
        runtime.Add(new Worker { Name = "in-process", Id = 0, Input = work.Reader, Output = results.Writer }, Placement.Process);
        for (var i = 1; i <= threadWorkers; i++)
            runtime.Add(new Worker { Name = $"in-thread{i}", Id = i, Input = work.Reader, Output = results.Writer }, Placement.Thread);
        return results.Reader;
    }
}
