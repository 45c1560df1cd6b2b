using System.Diagnostics;
using Puma.Buffers;
using Puma.Runnables;
using Puma.Runtime.Tests.Runnables;
using Serilog.Events;
using static Puma.Runtime.Tests.Faults.FaultTestSupport;
using static Puma.Runtime.Tests.TestSupport;

namespace Puma.Runtime.Tests.Faults;

/// <summary>Issue 9: the status stream always ends, failures carry the real pid, one error event per failure, one exception for a request that outlives its runnable.</summary>
public class RuntimeFaultTests
{
    [Theory]
    [MemberData(nameof(Placements), MemberType = typeof(TestSupport))]
    public async Task TheStatusStreamCompletesWhenARunnableFails(Placement placement)
    {
        await using var runtime = NewRuntime();
        runtime.Add(new Sentinel { Name = "sentinel" }, placement);
        await runtime.StartAsync();
        var pid = await runtime.AskAsync<int>("sentinel", new GetPid());
        var first = await ReadOneAsync(runtime.Status);
        await runtime.SendAsync("sentinel", new Boom("boom"));

        var reports = (await ReadAllAsync(runtime.Status)).Prepend(first).ToList();

        Assert.All(reports, r => Assert.Equal(("sentinel", pid), (r.Runnable, r.ProcessId)));
        Assert.All(reports, r => Assert.Equal(pid, Assert.IsType<int>(r.Value)));
        var failure = await Assert.ThrowsAsync<RunnableFailedException>(() => runtime.WaitAsync().WaitAsync(Patience));
        Assert.Equal(pid, failure.ProcessId);
    }

    [Theory]
    [MemberData(nameof(Placements), MemberType = typeof(TestSupport))]
    public async Task TheStatusStreamCompletesWhenTheRuntimeIsStopped(Placement placement)
    {
        await using var runtime = NewRuntime();
        runtime.Add(new Sentinel { Name = "sentinel" }, placement);
        await runtime.StartAsync();
        await runtime.AskAsync<int>("sentinel", new GetPid());

        var reading = ReadAllAsync(runtime.Status);
        var result = await runtime.StopAsync();

        Assert.Equal(["sentinel"], result.Stopped);
        await reading; // throws OperationCanceledException after Patience if the stream never completes
        await runtime.WaitAsync().WaitAsync(Patience);
    }

    [Theory]
    [MemberData(nameof(Placements), MemberType = typeof(TestSupport))]
    public async Task TheStatusStreamCompletesWhenEveryRunnableEndsByItself(Placement placement)
    {
        await using var runtime = NewRuntime();
        var frames = runtime.CreateBuffer<Frame>("frames", 16);
        var done = runtime.CreateBuffer<Summary>("done", 4);
        runtime.Add(new Producer { Name = "producer", Output = frames.Writer, Count = 100 }, placement);
        runtime.Add(new Collector { Name = "collector", Input = frames.Reader, Output = done.Writer }, Placement.Thread);
        var summaries = done.Reader;
        await runtime.StartAsync();

        await ReadAllAsync(runtime.Status);

        await runtime.WaitAsync().WaitAsync(Patience);
        Assert.Equal(new Summary("collector", 100, 4950, true), await ReadOneAsync(summaries));
    }

    [Fact]
    public async Task AKilledChildEndsTheStatusStreamAndIsReportedWithItsPidAndSignal()
    {
        await using var runtime = NewRuntime();
        runtime.Add(new Sentinel { Name = "victim" }, Placement.Process);
        runtime.Add(new Sentinel { Name = "bystander" }, Placement.Process);
        await runtime.StartAsync();
        var victim = await runtime.AskAsync<int>("victim", new GetPid());
        var bystander = await runtime.AskAsync<int>("bystander", new GetPid());

        var clock = Stopwatch.StartNew();
        KillNine(victim);
        await ReadAllAsync(runtime.Status);
        var failure = await Assert.ThrowsAsync<RunnableFailedException>(() => runtime.WaitAsync().WaitAsync(Patience));
        var reported = clock.Elapsed;

        Assert.Equal(("victim", victim, Placement.Process), (failure.RunnableName, failure.ProcessId, failure.Placement));
        var died = Assert.IsType<ChildProcessDiedException>(failure.InnerException);
        Assert.Equal((victim, 9, 137), (died.ProcessId, died.Signal, died.ExitCode));
        // Liveness, not speed: a dead child's control socket closes at once; the fallback would be a hang.
        Assert.True(reported < TimeSpan.FromSeconds(5), $"the kill took {reported} to reach WaitAsync");
        await EventuallyAsync(() => Task.FromResult(IsGone(bystander)), "the bystander child exits after StopAll");
    }

    [Theory]
    [MemberData(nameof(Placements), MemberType = typeof(TestSupport))]
    public async Task AFailureIsLoggedAsOneErrorEventWithTheException(Placement placement)
    {
        var sink = new CollectingSink();
        await using (var runtime = NewRuntime(logger: sink.CreateLogger()))
        {
            runtime.Add(new Sentinel { Name = "sentinel", IntervalMs = 1000 }, placement);
            await runtime.StartAsync();
            await runtime.AskAsync<int>("sentinel", new GetPid());
            await runtime.SendAsync("sentinel", new Boom("one failure"));
            await Assert.ThrowsAsync<RunnableFailedException>(() => runtime.WaitAsync().WaitAsync(Patience));
        }

        var loud = sink.Events.Where(e => e.Level >= LogEventLevel.Warning).ToList();
        var error = Assert.Single(loud);
        Assert.Equal(LogEventLevel.Error, error.Level);
        Assert.Equal("one failure", error.Exception?.Message);
        Assert.Contains("Sentinel", error.Exception?.StackTrace);
    }

    [Theory]
    [MemberData(nameof(Placements), MemberType = typeof(TestSupport))]
    public async Task ARequestPendingAcrossStopThrowsRunnableNotRunning(Placement placement)
    {
        await using var runtime = NewRuntime();
        runtime.Add(new Sentinel { Name = "sentinel" }, placement);
        await runtime.StartAsync();
        await runtime.AskAsync<int>("sentinel", new GetPid());
        var pending = runtime.AskAsync<int>("sentinel", new Hang(60_000));
        await Task.Delay(100);

        await runtime.StopAsync();

        var error = await Assert.ThrowsAsync<RunnableNotRunningException>(() => pending.WaitAsync(Patience));
        Assert.Equal("sentinel", error.RunnableName);
        var after = await Assert.ThrowsAsync<RunnableNotRunningException>(() => runtime.AskAsync<int>("sentinel", new GetPid()).WaitAsync(Patience));
        Assert.Equal("sentinel", after.RunnableName);
    }

    [Theory]
    [MemberData(nameof(Placements), MemberType = typeof(TestSupport))]
    public async Task AnItemLargerThanTheRingNamesTheBufferAndTheLimit(Placement writerPlacement)
    {
        await using var runtime = NewRuntime();
        var bytes = runtime.CreateBuffer<byte[]>("frames", 4, capacityBytes: 4096);
        runtime.Add(new BigWriter { Name = "writer", Output = bytes.Writer, Size = 65536 }, writerPlacement);
        runtime.Add(new ByteSink { Name = "reader", Input = bytes.Reader }, writerPlacement == Placement.Thread ? Placement.Process : Placement.Thread);
        await runtime.StartAsync();

        var failure = await Assert.ThrowsAsync<RunnableFailedException>(() => runtime.WaitAsync().WaitAsync(Patience));

        Assert.Equal("writer", failure.RunnableName);
        AssertErrorType<ArgumentOutOfRangeException>(failure.InnerException);
        Assert.StartsWith("Buffer 'frames': an item of 65536 bytes exceeds the largest item of 2032 bytes (half of capacityBytes 4096", failure.InnerException!.Message);
    }

    [Theory]
    [InlineData(0L)]
    [InlineData(1L)]
    [InlineData(100L)]
    [InlineData(255L)]
    [InlineData(1001L)]
    [InlineData(4100L)]
    [InlineData(1L << 40)]
    public async Task CreateBufferRejectsABadByteCapacityAndNamesTheBufferAndTheRange(long capacityBytes)
    {
        await using var runtime = NewRuntime();

        var error = Assert.Throws<ArgumentOutOfRangeException>(() => runtime.CreateBuffer<Frame>("frames", 4, capacityBytes: capacityBytes));

        Assert.Equal("capacityBytes", error.ParamName);
        Assert.Equal(capacityBytes, error.ActualValue);
        Assert.Contains("Buffer 'frames'", error.Message);
        Assert.Contains("256..17179869184", error.Message);
    }

    [Theory]
    [InlineData(256L)]
    [InlineData(4096L)]
    [InlineData(1L << 34)]
    public async Task CreateBufferTakesAByteCapacityInRange(long capacityBytes)
    {
        await using var runtime = NewRuntime();

        var buffer = runtime.CreateBuffer<Frame>("frames", 4, capacityBytes: capacityBytes);

        Assert.Equal(capacityBytes, buffer.CapacityBytes);
    }
}
