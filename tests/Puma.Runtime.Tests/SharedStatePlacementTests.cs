using Puma.Runnables;
using Puma.Runtime.Tests.Runnables;
using Puma.Tests.Common;
using static Puma.Runtime.Tests.SharedSegmentCheck;
using static Puma.Runtime.Tests.TestSupport;

namespace Puma.Runtime.Tests;

/// <summary>Shared values and dictionaries updated by runnables in threads and in processes at the same time.</summary>
public class SharedStatePlacementTests
{
    [Theory]
    [MemberData(nameof(Placements), MemberType = typeof(TestSupport))]
    public async Task IncrementsFromTwoRunnablesGiveTheExactTotal(Placement placement)
    {
        await using var runtime = NewRuntime();
        var counter = runtime.CreateSharedValue<long>("counter", 1000);
        var ready = runtime.CreateSharedValue<int>("ready");
        runtime.Add(new ValueIncrementer { Name = "a", Counter = counter, Times = 300_000, Ready = ready }, placement);
        runtime.Add(new ValueIncrementer { Name = "b", Counter = counter, Times = 200_000, Ready = ready }, placement);

        await runtime.StartAsync();
        await runtime.WaitAsync().WaitAsync(Patience);

        Assert.Equal(2, ready.Read()); // both met before looping: the increments overlapped
        Assert.Equal(501_000, counter.Read());
    }

    [Theory]
    [MemberData(nameof(Placements), MemberType = typeof(TestSupport))]
    public async Task DictionaryUpdatesFromTwoRunnablesGiveExactTotals(Placement placement)
    {
        await using var runtime = NewRuntime();
        var counts = runtime.CreateSharedDictionary<string, long>("counts", 100, maxKeyLength: 16);
        var ready = runtime.CreateSharedValue<int>("ready");
        runtime.Add(new DictionaryCounter { Name = "left", Counts = counts, Times = 70_000, Keys = 7, Ready = ready }, placement);
        runtime.Add(new DictionaryCounter { Name = "right", Counts = counts, Times = 70_000, Keys = 7, Ready = ready }, placement);

        await runtime.StartAsync();
        await runtime.WaitAsync().WaitAsync(Patience);

        Assert.Equal(2, ready.Read()); // both met before looping: the updates (and the first inserts) overlapped
        var all = counts.ToDictionary();
        Assert.Equal(9, all.Count);
        for (var k = 0; k < 7; k++)
            Assert.Equal(20_000, all["k" + k]);
        Assert.Equal(placement == Placement.Thread, all["left"] == Environment.ProcessId);
        Assert.Equal(placement == Placement.Thread, all["right"] == Environment.ProcessId);
        if (placement == Placement.Process)
            Assert.NotEqual(all["left"], all["right"]);
    }

    [Theory]
    [MemberData(nameof(Placements), MemberType = typeof(TestSupport))]
    public async Task AChangeWaitInARunnableWakesOnTheParentsWrite(Placement placement)
    {
        await using var runtime = NewRuntime();
        var signal = runtime.CreateSharedValue<int>("signal");
        var echo = runtime.CreateSharedValue<int>("echo");
        runtime.Add(new ChangeEcho { Name = "echo", Signal = signal, Echo = echo }, placement);
        await runtime.StartAsync();

        var answer = echo.WaitForChangeAsync(0).AsTask();
        signal.Write(21);

        Assert.Equal(42, await answer.WaitAsync(Patience));
        await runtime.WaitAsync().WaitAsync(Patience);
    }

    [Fact]
    public async Task TheRuntimeFreesItsSharedStateAndRefusesDuplicateNames()
    {
        Puma.Buffers.SharedValue<int> value;
        Puma.Buffers.SharedDictionary<int, int> dictionary;
        await using (var runtime = NewRuntime())
        {
            value = runtime.CreateSharedValue("x", 1);
            dictionary = runtime.CreateSharedDictionary<int, int>("y", 8);
            Assert.StartsWith("A shared object named 'x' already exists in this runtime.", Assert.Throws<ArgumentException>(() => runtime.CreateSharedDictionary<int, int>("x", 8)).Message);
            Assert.Throws<NotSupportedException>(() => runtime.CreateSharedValue<decimal>("z"));
            dictionary[1] = 1;
            Assert.Equal(OperatingSystem.IsLinux(), MemfdProbe.HoldsMemfd(SegmentOf(value)));
            Assert.Equal(OperatingSystem.IsLinux(), MemfdProbe.HoldsMemfd(SegmentOf(dictionary)));
        }

        Assert.Throws<ObjectDisposedException>(() => value.Read());
        Assert.Throws<ObjectDisposedException>(() => dictionary[1]);
        Assert.False(MemfdProbe.HoldsMemfd(SegmentOf(value)));
        Assert.False(MemfdProbe.HoldsMemfd(SegmentOf(dictionary)));
    }

    [Fact]
    public async Task AnAbandonedThreadRunnableKeepsUsingItsSharedObjectsAfterTheRuntimeIsDisposed()
    {
        StubbornSharedUser user;
        Puma.Buffers.SharedValue<long> value;
        await using (var runtime = NewRuntime())
        {
            var array = runtime.CreateSharedArray<long>("array", 64);
            value = runtime.CreateSharedValue<long>("value");
            user = new StubbornSharedUser { Name = "stubborn", Array = array, Value = value };
            runtime.Add(user, Placement.Thread);
            await runtime.StartAsync();
            var clock = System.Diagnostics.Stopwatch.StartNew();
            while (value.Read() == 0 && clock.Elapsed < Patience)
                await Task.Delay(5);

            var stop = await runtime.StopAsync(TimeSpan.FromMilliseconds(200));
            Assert.Equal(["stubborn"], stop.Abandoned);
        }

        // The runtime kept its shared objects mapped: the abandoned runnable ran on without a crash or an error.
        Assert.Null(await user.Finished.Task.WaitAsync(Patience));
        Assert.True(value.Read() > 1);
    }
}
