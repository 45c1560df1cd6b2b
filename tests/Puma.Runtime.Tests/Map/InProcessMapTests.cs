using static Puma.Runtime.Tests.TestSupport;

namespace Puma.Runtime.Tests.Map;

/// <summary>Parallel map with serial and thread workers, over arrays and ranges.</summary>
public sealed class InProcessMapTests
{
    public static TheoryData<MapOptions> InProcess => new()
    {
        MapOptions.Serial,
        MapOptions.Threads(1),
        MapOptions.Threads(3),
        MapOptions.Threads(3) with { ChunkSize = 7 },
        MapOptions.Serial with { ChunkSize = 1 },
    };

    [Theory]
    [MemberData(nameof(InProcess))]
    public async Task EveryElementIsMappedExactlyOnceInPlace(MapOptions options)
    {
        await using var runtime = NewRuntime();
        var data = Enumerable.Range(0, 10_001).ToArray();

        await runtime.MapAsync(new AddOne(), data, data, options).WaitAsync(Patience);

        Assert.Equal(Enumerable.Range(1, 10_001), data);
    }

    [Theory]
    [MemberData(nameof(InProcess))]
    public async Task ARangeMapsEveryIndexToItsPlace(MapOptions options)
    {
        await using var runtime = NewRuntime();
        var output = new long[1_000];

        await runtime.MapAsync(new ScaleIndex { Factor = 3 }, new MapRange(500, 1_000), output, options).WaitAsync(Patience);

        Assert.Equal(Enumerable.Range(500, 1_000).Select(i => i * 3L), output);
    }

    [Fact]
    public async Task AChunkKernelMapsIntoAnotherArray()
    {
        await using var runtime = NewRuntime();
        var input = Enumerable.Range(0, 999).Select(i => (float)i).ToArray();
        var output = new float[999];

        await runtime.MapAsync(new TripleChunks(), input, output, MapOptions.Threads(2) with { ChunkSize = 100 }).WaitAsync(Patience);

        Assert.Equal(input.Select(x => x * 3), output);
    }

    [Fact]
    public async Task AnEmptyInputMapsNothing()
    {
        await using var runtime = NewRuntime();

        await runtime.MapAsync(new AddOne(), Array.Empty<int>(), Array.Empty<int>(), MapOptions.Threads(2)).WaitAsync(Patience);
        await runtime.MapAsync(new ScaleIndex(), new MapRange(7, 0), Memory<long>.Empty, MapOptions.Serial).WaitAsync(Patience);
    }

    [Theory]
    [InlineData(MapContext.Serial, 1)]
    [InlineData(MapContext.Threads, 3)]
    public async Task AKernelsExceptionNamesTheElementAndTheWorker(MapContext context, int workers)
    {
        await using var runtime = NewRuntime();
        var output = new long[1_000];

        var error = await Assert.ThrowsAsync<MapFailedException>(() =>
            runtime.MapAsync(new ThrowAt { FailAt = 777 }, new MapRange(0, 1_000), output, new MapOptions { Context = context, Workers = workers, ChunkSize = 10 }).WaitAsync(Patience));

        Assert.Equal(777, error.Index);
        Assert.Equal(770, error.ChunkStart);
        Assert.Equal(10, error.ChunkLength);
        Assert.Equal(Environment.ProcessId, error.ProcessId);
        Assert.Contains(context == MapContext.Serial ? "serial worker" : "thread worker", error.Worker);
        var inner = Assert.IsType<InvalidOperationException>(error.InnerException);
        Assert.Equal("element 777 is bad", inner.Message);
        Assert.Contains("element 777", error.Message);
    }

    [Fact]
    public async Task AChunkKernelsExceptionNamesTheChunk()
    {
        await using var runtime = NewRuntime();
        var input = Enumerable.Range(0, 100).Select(i => (long)i).ToArray();

        var error = await Assert.ThrowsAsync<MapFailedException>(() =>
            runtime.MapAsync(new ThrowInChunk { FailAt = 55 }, input, new long[100], MapOptions.Threads(2) with { ChunkSize = 20 }).WaitAsync(Patience));

        Assert.Equal(40, error.Index);
        Assert.Equal(40, error.ChunkStart);
        Assert.Equal(20, error.ChunkLength);
        Assert.Equal("chunk at 40 is bad", error.InnerException!.Message);
    }

    [Theory]
    [InlineData(MapContext.Serial)]
    [InlineData(MapContext.Threads)]
    public async Task CancellationStopsEveryWorkerAtItsNextChunk(MapContext context)
    {
        await using var runtime = NewRuntime();
        var output = new long[10_000];
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));
        var options = new MapOptions { Context = context, Workers = context == MapContext.Serial ? 1 : 2, ChunkSize = 2 };

        // 10,000 x 20 ms would take minutes: the map ends soon after the cancellation instead.
        var map = Task.Run(() => runtime.MapAsync(new Sleepy(), new MapRange(0, 10_000), output, options, cancel.Token));

        var error = await Assert.ThrowsAnyAsync<OperationCanceledException>(() => map.WaitAsync(Patience));
        Assert.Equal(cancel.Token, error.CancellationToken);
        Assert.Contains(0L, output); // not everything was mapped
    }

    [Fact]
    public async Task AnAlreadyCancelledTokenMapsNothing()
    {
        await using var runtime = NewRuntime();
        var data = new int[10];

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => runtime.MapAsync(new AddOne(), data, data, MapOptions.Threads(2), new CancellationToken(true)));

        Assert.All(data, x => Assert.Equal(0, x));
    }

    [Fact]
    public async Task BadOptionsAndLengthsAreRejectedNamingTheValue()
    {
        await using var runtime = NewRuntime();
        var data = new int[10];

        var workers = await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => runtime.MapAsync(new AddOne(), data, data, MapOptions.Threads(0)));
        Assert.Contains("MapOptions.Workers is 0; it must be 1..256", workers.Message);
        var many = await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => runtime.MapAsync(new AddOne(), data, data, MapOptions.Threads(257)));
        Assert.Contains("MapOptions.Workers is 257; it must be 1..256", many.Message);
        var serial = await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => runtime.MapAsync(new AddOne(), data, data, MapOptions.Serial with { Workers = 2 }));
        Assert.Contains("Serial context runs exactly 1 worker", serial.Message);
        var chunk = await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => runtime.MapAsync(new AddOne(), data, data, MapOptions.Threads(2) with { ChunkSize = 0 }));
        Assert.Contains("MapOptions.ChunkSize is 0; it must be at least 1", chunk.Message);
        var lengths = await Assert.ThrowsAsync<ArgumentException>(() => runtime.MapAsync(new AddOne(), data, new int[9]));
        Assert.Contains("has 10 elements but the output (memory of 9 Int32) has 9", lengths.Message);
        var range = await Assert.ThrowsAsync<ArgumentException>(() => runtime.MapAsync(new ScaleIndex(), new MapRange(0, 5), new long[4]));
        Assert.Contains("The range has 5 indices but the output (memory of 4 Int64) has 4 elements", range.Message);
    }

    [Fact]
    public async Task MemoryOfThisProcessCannotGoToWorkerProcesses()
    {
        await using var runtime = NewRuntime();
        var data = new int[10];

        var error = await Assert.ThrowsAsync<ArgumentException>(() => runtime.MapAsync(new AddOne(), data, data, MapOptions.Processes(2)));

        Assert.Contains("worker processes (MapContext.Processes) read and write shared arrays only", error.Message);
        Assert.Empty(runtime.MapWorkerProcessIds); // refused before any worker started
    }

    [Fact]
    public async Task AKernelWithCodeInItsConfigurationWorksInThreads()
    {
        await using var runtime = NewRuntime();
        var data = new[] { 1, 2, 3 };

        await runtime.MapAsync(new WithDelegate { Function = x => x * 10 }, data, data, MapOptions.Threads(2)).WaitAsync(Patience);

        Assert.Equal([10, 20, 30], data);
    }

    [Fact]
    public async Task ADisposedRuntimeMapsNothing()
    {
        var runtime = NewRuntime();
        await runtime.DisposeAsync();

        await Assert.ThrowsAsync<ObjectDisposedException>(() => runtime.MapAsync(new AddOne(), new int[1], new int[1]));
    }
}
