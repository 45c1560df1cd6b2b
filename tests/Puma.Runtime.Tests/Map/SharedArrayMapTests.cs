using System.Diagnostics;
using Puma.Buffers;
using Puma.Logging;
using static Puma.Runtime.Tests.TestSupport;

namespace Puma.Runtime.Tests.Map;

/// <summary>Parallel map over shared arrays in every context, with the process workers' pool, failures, kills and cancellation.</summary>
public sealed class SharedArrayMapTests
{
    public static TheoryData<MapOptions> AllContexts => new()
    {
        MapOptions.Serial,
        MapOptions.Threads(2),
        MapOptions.Processes(2),
        MapOptions.Processes(3) with { ChunkSize = 7 },
    };

    [Theory]
    [MemberData(nameof(AllContexts))]
    public async Task EveryElementIsMappedExactlyOnceInPlace(MapOptions options)
    {
        await using var runtime = NewRuntime();
        var data = runtime.CreateSharedArray<int>("data", 101, 99);
        for (var i = 0; i < data.Length; i++)
            data[i] = i;

        await runtime.MapAsync(new AddOne(), data, data, options).WaitAsync(Patience);

        Assert.Equal(Enumerable.Range(1, 101 * 99), data.AsSpan().ToArray());
    }

    [Theory]
    [MemberData(nameof(AllContexts))]
    public async Task ARangeMapsIntoASharedArray(MapOptions options)
    {
        await using var runtime = NewRuntime();
        var output = runtime.CreateSharedArray<long>("out", 5_000);

        await runtime.MapAsync(new ScaleIndex { Factor = -2 }, new MapRange(10, 5_000), output, options).WaitAsync(Patience);

        Assert.Equal(Enumerable.Range(10, 5_000).Select(i => i * -2L), output.AsSpan().ToArray());
    }

    [Theory]
    [InlineData(MapContext.Threads)]
    [InlineData(MapContext.Processes)]
    public async Task AChunkKernelMapsOneArrayIntoAnother(MapContext context)
    {
        await using var runtime = NewRuntime();
        var input = runtime.CreateSharedArray<float>("in", 3_333);
        var output = runtime.CreateSharedArrayLike("out", input);
        for (var i = 0; i < input.Length; i++)
            input[i] = i;

        await runtime.MapAsync(new TripleChunks(), input, output, new MapOptions { Context = context, Workers = 2, ChunkSize = 100 }).WaitAsync(Patience);

        Assert.Equal(Enumerable.Range(0, 3_333).Select(i => i * 3f), output.AsSpan().ToArray());
        Assert.Equal(Enumerable.Range(0, 3_333).Select(i => (float)i), input.AsSpan().ToArray());
    }

    [Theory]
    [InlineData(MapContext.Threads)]
    [InlineData(MapContext.Processes)]
    public async Task AKernelMayHoldASharedArray(MapContext context)
    {
        await using var runtime = NewRuntime();
        var table = runtime.CreateSharedArray<int>("table", 10);
        for (var i = 0; i < table.Length; i++)
            table[i] = i * 100;
        var data = runtime.CreateSharedArray<int>("data", 1_000);
        for (var i = 0; i < data.Length; i++)
            data[i] = i;
        var options = new MapOptions { Context = context, Workers = 2, ChunkSize = 50 };

        await runtime.MapAsync(new LookUp { Table = table }, data, data, options).WaitAsync(Patience);
        Assert.Equal(Enumerable.Range(0, 1_000).Select(i => i % 10 * 100), data.AsSpan().ToArray());

        table[3] = -1;
        for (var i = 0; i < data.Length; i++)
            data[i] = i;
        await runtime.MapAsync(new LookUp { Table = table }, data, data, options).WaitAsync(Patience);
        Assert.Equal(Enumerable.Range(0, 1_000).Select(i => i % 10 == 3 ? -1 : i % 10 * 100), data.AsSpan().ToArray());
    }

    [Fact]
    public async Task AKernelsExceptionInAWorkerProcessNamesTheElementAndTheProcess()
    {
        await using var runtime = NewRuntime();
        var output = runtime.CreateSharedArray<long>("out", 1_000);

        var error = await Assert.ThrowsAsync<MapFailedException>(() =>
            runtime.MapAsync(new ThrowAt { FailAt = 777 }, new MapRange(0, 1_000), output, MapOptions.Processes(2) with { ChunkSize = 10 }).WaitAsync(Patience));

        Assert.Equal(777, error.Index);
        Assert.Equal(770, error.ChunkStart);
        Assert.Equal(10, error.ChunkLength);
        Assert.NotEqual(Environment.ProcessId, error.ProcessId);
        Assert.Contains(error.ProcessId, runtime.MapWorkerProcessIds);
        Assert.Contains($"(pid {error.ProcessId})", error.Worker);
        Assert.StartsWith("process worker ", error.Worker);
        AssertErrorType<InvalidOperationException>(error.InnerException);
        Assert.Equal("element 777 is bad", error.InnerException!.Message);
    }

    [Fact]
    public async Task WorkerProcessesAreReusedAcrossMaps()
    {
        await using var runtime = NewRuntime();
        var output = runtime.CreateSharedArray<long>("pids", 2_000);
        var options = MapOptions.Processes(2) with { ChunkSize = 10 };

        await runtime.MapAsync(new WhoMaps(), new MapRange(0, 2_000), output, options).WaitAsync(Patience);
        var workers = runtime.MapWorkerProcessIds.Order().ToArray();
        var first = output.AsSpan().ToArray().Distinct().ToArray();
        await runtime.MapAsync(new WhoMaps(), new MapRange(0, 2_000), output, options).WaitAsync(Patience);
        var second = output.AsSpan().ToArray().Distinct().ToArray();

        Assert.Equal(2, workers.Length);
        Assert.DoesNotContain(Environment.ProcessId, workers);
        Assert.Equal(workers, runtime.MapWorkerProcessIds.Order().ToArray());
        Assert.All(first.Concat(second), pid => Assert.Contains((int)pid, workers));
    }

    [Fact]
    public async Task ConcurrentMapsInProcessesLeaseWorkersOfTheirOwn()
    {
        await using var runtime = NewRuntime();
        var first = runtime.CreateSharedArray<long>("first", 3_000);
        var second = runtime.CreateSharedArray<long>("second", 3_000);
        var options = MapOptions.Processes(2) with { ChunkSize = 10 };

        await Task.WhenAll(
            runtime.MapAsync(new ScaleIndex { Factor = 2 }, new MapRange(0, 3_000), first, options),
            runtime.MapAsync(new ScaleIndex { Factor = 3 }, new MapRange(0, 3_000), second, options)).WaitAsync(Patience);

        Assert.Equal(Enumerable.Range(0, 3_000).Select(i => i * 2L), first.AsSpan().ToArray());
        Assert.Equal(Enumerable.Range(0, 3_000).Select(i => i * 3L), second.AsSpan().ToArray());
        Assert.Equal(4, runtime.MapWorkerProcessIds.Distinct().Count());
    }

    [Fact]
    public async Task AKilledWorkerProcessFailsTheMapAndIsReplaced()
    {
        await using var runtime = NewRuntime();
        var output = runtime.CreateSharedArray<long>("out", 2_000);
        var options = MapOptions.Processes(2) with { ChunkSize = 10 };

        var error = await Assert.ThrowsAsync<MapFailedException>(() =>
            runtime.MapAsync(new DieAt { Index = 500, ParentPid = Environment.ProcessId }, new MapRange(0, 2_000), output, options).WaitAsync(Patience));

        Assert.Equal(500, error.ChunkStart);
        Assert.Equal(500, error.Index);
        Assert.Equal(10, error.ChunkLength);
        Assert.Contains($"(pid {error.ProcessId})", error.Worker);
        var died = Assert.IsType<ChildProcessDiedException>(error.InnerException);
        Assert.Equal(9, died.Signal);
        Assert.DoesNotContain(error.ProcessId, runtime.MapWorkerProcessIds);

        await runtime.MapAsync(new ScaleIndex { Factor = 2 }, new MapRange(0, 2_000), output, options).WaitAsync(Patience);
        Assert.Equal(Enumerable.Range(0, 2_000).Select(i => i * 2L), output.AsSpan().ToArray());
        Assert.Equal(2, runtime.MapWorkerProcessIds.Count);
    }

    [Fact]
    public async Task CancellationStopsEveryWorkerProcessAndTheyServeTheNextMap()
    {
        await using var runtime = NewRuntime();
        var output = runtime.CreateSharedArray<long>("out", 10_000);
        var options = MapOptions.Processes(2) with { ChunkSize = 2 };
        await runtime.MapAsync(new ScaleIndex(), new MapRange(0, 10_000), output, options).WaitAsync(Patience);
        var workers = runtime.MapWorkerProcessIds.Order().ToArray();
        output.AsSpan().Clear();
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(500));

        // 10,000 x 20 ms over 2 workers would take 100 s: the map ends soon after the cancellation instead.
        var error = await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            runtime.MapAsync(new Sleepy(), new MapRange(0, 10_000), output, options, cancel.Token).WaitAsync(Patience));

        Assert.Equal(cancel.Token, error.CancellationToken);
        Assert.Contains(0L, output.AsSpan()[1..].ToArray());
        Assert.Equal(workers, runtime.MapWorkerProcessIds.Order().ToArray()); // stopped, not killed
        await runtime.MapAsync(new ScaleIndex { Factor = 5 }, new MapRange(0, 10_000), output, options).WaitAsync(Patience);
        Assert.Equal(Enumerable.Range(0, 10_000).Select(i => i * 5L), output.AsSpan().ToArray());
    }

    [Fact]
    public async Task AWorkerProcessStuckInItsKernelIsKilledAfterTheStopTimeoutSoACancelledMapEnds()
    {
        await using var runtime = NewRuntime(stopTimeout: TimeSpan.FromSeconds(1));
        var output = runtime.CreateSharedArray<long>("out", 100);
        var options = MapOptions.Processes(2) with { ChunkSize = 1 };
        await runtime.MapAsync(new ScaleIndex(), new MapRange(0, 100), output, options).WaitAsync(Patience);
        var workers = runtime.MapWorkerProcessIds.Order().ToArray();
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));

        // Each element sleeps 10 minutes: only killing the workers ends the map.
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            runtime.MapAsync(new Sleepy { DelayMilliseconds = 600_000 }, new MapRange(0, 100), output, options, cancel.Token).WaitAsync(Patience));

        Assert.Empty(runtime.MapWorkerProcessIds.Intersect(workers));
        await runtime.MapAsync(new ScaleIndex { Factor = 7 }, new MapRange(0, 100), output, options).WaitAsync(Patience);
        Assert.Equal(Enumerable.Range(0, 100).Select(i => i * 7L), output.AsSpan().ToArray());
        Assert.Equal(2, runtime.MapWorkerProcessIds.Count);
    }

    [Fact]
    public async Task AKernelThatFailsToBuildInTheWorkerFailsTheMapAndTheWorkerServesTheNext()
    {
        await using var runtime = NewRuntime();
        var output = runtime.CreateSharedArray<long>("out", 10);
        var options = MapOptions.Processes(1);

        var error = await Assert.ThrowsAsync<MapFailedException>(() =>
            runtime.MapAsync(new OnlyInParent { Parent = Environment.ProcessId }, new MapRange(0, 10), output, options).WaitAsync(Patience));

        Assert.Contains("could not run its share of the map", error.Message);
        Assert.Contains("Parent", error.Message);
        Assert.Equal(-1, error.Index);
        var worker = Assert.Single(runtime.MapWorkerProcessIds);
        Assert.Equal(worker, error.ProcessId);
        await runtime.MapAsync(new ScaleIndex { Factor = 2 }, new MapRange(0, 10), output, options).WaitAsync(Patience);
        Assert.Equal(Enumerable.Range(0, 10).Select(i => i * 2L), output.AsSpan().ToArray());
        Assert.Equal([worker], runtime.MapWorkerProcessIds);
    }

    [Fact]
    public async Task AKernelThatCannotBeRebuiltInAProcessIsRefusedNamingTheProperty()
    {
        await using var runtime = NewRuntime();
        var data = runtime.CreateSharedArray<int>("data", 3);

        var error = await Assert.ThrowsAsync<ArgumentException>(() => runtime.MapAsync(new WithDelegate(), data, data, MapOptions.Processes(2)));

        Assert.Contains($"Kernel {typeof(WithDelegate).FullName} cannot run in worker processes", error.Message);
        Assert.Contains("WithDelegate.Function", error.Message);
        Assert.Contains("is a delegate", error.Message);
        Assert.Empty(runtime.MapWorkerProcessIds);
    }

    [Fact]
    public async Task NothingOutlivesTheRuntime()
    {
        var before = SegmentFiles();
        int[] workers;
        await using (var runtime = NewRuntime())
        {
            var data = runtime.CreateSharedArray<int>("data", 1_000);
            await runtime.MapAsync(new AddOne(), data, data, MapOptions.Processes(2)).WaitAsync(Patience);
            workers = [.. runtime.MapWorkerProcessIds];
            Assert.Equal(2, workers.Length);
            Assert.All(data.AsSpan().ToArray(), x => Assert.Equal(1, x));
        }

        foreach (var pid in workers)
            Assert.True(HasExited(pid), $"map worker process {pid} outlived its runtime");
        Assert.Equal(before, SegmentFiles());
    }

    private static bool HasExited(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            return process.HasExited;
        }
        catch (ArgumentException)
        {
            return true;
        }
    }

    private static string[] SegmentFiles() =>
        Directory.EnumerateFiles(OperatingSystem.IsLinux() ? "/dev/shm" : Path.GetTempPath(), "puma-*").Order(StringComparer.Ordinal).ToArray();
}
