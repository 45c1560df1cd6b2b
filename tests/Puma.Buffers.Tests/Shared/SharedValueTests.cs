using System.Text.Json;
using Puma.Tests.Common;
using static Puma.Buffers.Tests.Shared.SharedTestSupport;

namespace Puma.Buffers.Tests.Shared;

public class SharedValueTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    public readonly record struct Pair(int Low, int High);

    public readonly record struct Wide(long A, long B);

    [Fact]
    public void ReadWriteExchangeAndCompareExchangeAreExact()
    {
        using var value = SharedValue<long>.Create("v", 5);
        Assert.Equal(5, value.Read());
        value.Write(-7);
        Assert.Equal(-7, value.Read());
        Assert.Equal(-7, value.Exchange(11));
        Assert.Equal(11, value.CompareExchange(20, 10));
        Assert.Equal(11, value.Read());
        Assert.Equal(11, value.CompareExchange(20, 11));
        Assert.Equal(20, value.Read());
    }

    [Fact]
    public void AddAndIncrementWorkForTheFourIntegerTypesAndWrap()
    {
        using var i = SharedValue<int>.Create("i", int.MaxValue);
        Assert.Equal(int.MinValue, i.Increment());
        Assert.Equal(int.MinValue + 10, i.Add(10));
        using var l = SharedValue<long>.Create("l", 1);
        Assert.Equal(-1, l.Add(-2));
        using var u = SharedValue<uint>.Create("u", uint.MaxValue);
        Assert.Equal(0u, u.Increment());
        using var ul = SharedValue<ulong>.Create("ul", 41);
        Assert.Equal(42ul, ul.Increment());
        Assert.Equal(42ul, ul.Read());
    }

    [Fact]
    public void AddOnANonIntegerTypeThrowsNamingTheType()
    {
        using var d = SharedValue<double>.Create("d", 1.5);
        Assert.Equal("Shared value 'd': Add and Increment need an int, long, uint or ulong value, not System.Double; use CompareExchange in a loop.", Assert.Throws<NotSupportedException>(() => d.Increment()).Message);
        Assert.Throws<NotSupportedException>(() => d.Add(1));
        Assert.Equal(1.5, d.Read());
    }

    [Fact]
    public void SmallStructsAndNarrowTypesRoundTripBitForBit()
    {
        using var pair = SharedValue<Pair>.Create("pair", new Pair(1, 2));
        Assert.Equal(new Pair(1, 2), pair.Exchange(new Pair(3, -4)));
        Assert.Equal(new Pair(3, -4), pair.CompareExchange(new Pair(5, 6), new Pair(3, -4)));
        Assert.Equal(new Pair(5, 6), pair.Read());

        using var flag = SharedValue<bool>.Create("flag", true);
        Assert.True(flag.CompareExchange(false, true));
        Assert.False(flag.Read());
        using var b = SharedValue<byte>.Create("b", 200);
        Assert.Equal(200, b.Exchange(7));
        using var c = SharedValue<char>.Create("c", 'x');
        Assert.Equal('x', c.Read());
        using var f = SharedValue<float>.Create("f", 0f);
        Assert.Equal(0f, f.CompareExchange(1f, -0f)); // -0.0 is not 0.0 bit for bit: no exchange
        Assert.Equal(0f, f.Read());
    }

    [Fact]
    public void AValueWiderThanEightBytesIsRefusedNamingItsSize()
    {
        var error = Assert.Throws<NotSupportedException>(() => SharedValue<Wide>.Create("wide", default));
        Assert.Equal($"Shared value 'wide': {typeof(Wide).FullName} is 16 bytes; a shared value is at most 8 bytes (one atomic instruction updates it). Keep wider state in a SharedDictionary or a SharedArray.", error.Message);
    }

    [Fact]
    public void ACopyFromJsonSharesTheValueAndMapsOnFirstUse()
    {
        using var value = SharedValue<int>.Create("shared", 3);
        var json = JsonSerializer.Serialize(value);
        Assert.Equal($$"""{"name":"shared","segment":"{{value.SegmentName}}","type":"System.Int32","size":4}""", json);
        using var copy = JsonSerializer.Deserialize<SharedValue<int>>(json)!;
        Assert.False(copy.IsMapped);
        Assert.Equal(json, JsonSerializer.Serialize(copy));
        Assert.Equal(4, copy.Increment());
        Assert.True(copy.IsMapped);
        Assert.Equal(4, value.Read());
        Assert.Throws<JsonException>(() => JsonSerializer.Deserialize<SharedValue<uint>>(json));
    }

    [Fact]
    public async Task IncrementsFromManyThreadsThroughTwoMappingsAreExact()
    {
        using var value = SharedValue<long>.Create("count", 0);
        using var copy = CopyAsInAChild(value);
        const int perThread = 100_000;
        var threads = Enumerable.Range(0, 4).Select(t => Task.Run(() =>
        {
            var target = t % 2 == 0 ? value : copy;
            for (var i = 0; i < perThread; i++)
                target.Increment();
        }));
        await Task.WhenAll(threads).WaitAsync(Patience);
        Assert.Equal(4L * perThread, value.Read());
    }

    [Fact]
    public async Task AChangeWaitWakesOnAWriteThroughAnotherMapping()
    {
        using var value = SharedValue<int>.Create("signal", 0);
        using var copy = CopyAsInAChild(value);

        var next = copy.WaitForChangeAsync().AsTask();
        await Task.Delay(100);
        Assert.False(next.IsCompleted);
        value.Write(1);
        Assert.Equal(1, await next.WaitAsync(Patience));

        Assert.Equal(1, await copy.WaitForChangeAsync(0).AsTask().WaitAsync(Patience)); // already differs: at once
        var moved = copy.WaitForChangeAsync(1).AsTask();
        value.Write(1); // a write of the same value changes nothing
        await Task.Delay(100);
        Assert.False(moved.IsCompleted);
        value.Add(5);
        Assert.Equal(6, await moved.WaitAsync(Patience));
    }

    [Fact]
    public async Task AChangeWaitEndsOnCancellationAndOnDisposal()
    {
        var value = SharedValue<int>.Create("quiet", 0);
        using var cts = new CancellationTokenSource();
        var cancelled = value.WaitForChangeAsync(cts.Token).AsTask();
        await Task.Delay(100);
        cts.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelled.WaitAsync(Patience));

        var disposed = value.WaitForChangeAsync().AsTask();
        await Task.Delay(100);
        value.Dispose();
        await Assert.ThrowsAsync<ObjectDisposedException>(() => disposed.WaitAsync(Patience));
        Assert.Throws<ObjectDisposedException>(() => value.Read());
        await Assert.ThrowsAsync<ObjectDisposedException>(() => value.WaitForChangeAsync().AsTask());
    }

    [Fact]
    public unsafe void ACorruptHeaderIsReportedWhenACopyMapsIt()
    {
        using var value = SharedValue<long>.Create("bad", 1);
        *(int*)(value.Segment + 16) = 4; // the value size
        var copy = CopyAsInAChild(value);
        Assert.Equal("Shared value 'bad': value size 4 is outside 8..8.", Assert.Throws<BufferCorruptedException>(() => copy.Read()).Message);
        *(int*)(value.Segment + 16) = 8;
        *(int*)(value.Segment + 12) = 1; // the kind
        Assert.Equal("Shared value 'bad': kind 1 is not 2 (Value).", Assert.Throws<BufferCorruptedException>(() => CopyAsInAChild(value).Read()).Message);
        *(int*)(value.Segment + 12) = 2;
        Assert.Equal(1, CopyAsInAChild(value).Read());
    }

    [Fact]
    public void ADisposedValueLeavesNothingBehind()
    {
        var before = PumaSegmentFiles();
        var value = SharedValue<int>.Create("gone", 1);
        var segment = value.SegmentName;
        value.Dispose();
        Assert.Throws<ObjectDisposedException>(() => value.Read());
        Assert.False(MemfdProbe.HoldsMemfd(segment));
        Assert.Equal(before, PumaSegmentFiles());
    }

    [Fact]
    public async Task AThreadStillUsingAValueWhenItIsDisposedGetsObjectDisposedException()
    {
        var value = SharedValue<long>.Create("busy", 0);
        using var started = new ManualResetEventSlim();
        var user = Task.Factory.StartNew(() =>
        {
            started.Set();
            while (true)
            {
                value.Increment();
                _ = value.Read();
                value.CompareExchange(-1, -2); // never matches
            }
        }, TaskCreationOptions.LongRunning);
        Assert.True(started.Wait(Patience));
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (value.Read() < 10_000 && clock.Elapsed < Patience)
            Thread.Yield();
        Assert.True(value.Read() >= 10_000);

        await Task.Run(value.Dispose).WaitAsync(Patience);

        await Assert.ThrowsAsync<ObjectDisposedException>(() => user.WaitAsync(Patience));
    }

    [Fact]
    public unsafe void AWaiterKilledWhileParkedCostsOnlyTheNextWrite()
    {
        using var value = SharedValue<int>.Create("orphan", 0);
        var changes = (int*)(value.Segment + SharedHeader.Size);
        var parked = (int*)(value.Segment + SharedHeader.Size + 4);
        *parked = 1; // what a waiter killed in its park leaves behind

        value.Write(1);
        Assert.Equal(0, *parked);
        Assert.Equal(1, *changes);
        value.Write(2);
        value.Increment();
        Assert.Equal(1, *changes); // nobody parked: the later writes leave the counter (and the futex) alone
    }

    [Fact]
    public async Task AWaiterRegistersAgainAfterEachWakeSoNoChangeIsMissed()
    {
        using var value = SharedValue<int>.Create("steps", 0);
        var seen = value.Read();
        var waiter = Task.Run(async () =>
        {
            while (seen < 50)
                seen = await value.WaitForChangeAsync(seen);
            return seen;
        });
        for (var i = 1; i <= 50; i++)
        {
            value.Write(i);
            await Task.Delay(i % 10 == 0 ? 20 : 0);
        }
        Assert.Equal(50, await waiter.WaitAsync(Patience));
    }

    [Fact]
    public async Task DisposingFromTwoThreadsAtOnceThrowsNothing()
    {
        for (var round = 0; round < 200; round++)
        {
            var value = SharedValue<int>.Create("twice", round);
            using var barrier = new Barrier(2);
            var other = Task.Run(() =>
            {
                barrier.SignalAndWait();
                value.Dispose();
            });
            barrier.SignalAndWait();
            value.Dispose();
            await other.WaitAsync(Patience);
        }
    }

    [Theory]
    [InlineData("""{"name":1,"segment":"s","type":"System.Int32","size":4}""")]
    [InlineData("""{"name":"v","segment":"s","type":"System.Int32","size":"4"}""")]
    [InlineData("""{"name":"v","segment":"s","type":"System.Int32","size":99999999999}""")]
    public void MalformedJsonIsAJsonException(string json)
    {
        var error = Assert.Throws<JsonException>(() => JsonSerializer.Deserialize<SharedValue<int>>(json));
        Assert.StartsWith("A SharedValue's JSON is malformed: ", error.Message);
    }
}
