using System.Reflection;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Threading.Channels;

namespace Puma.Buffers.Tests.InProcess;

/// <summary>
/// The in-process transport: a bounded channel of exactly its capacity, first in first out over many laps, with
/// waits that are never lost, completion that carries the error, and the ends' contract of
/// <see cref="Channel.CreateBounded{T}(int)"/> (which it replaces).
/// </summary>
public sealed class LockFreeChannelTests
{
    private static readonly TimeSpan Generous = TimeSpan.FromSeconds(30);

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(7)]
    [InlineData(8)]
    [InlineData(1000)]
    public void ItHoldsExactlyItsCapacityAndHandsItemsOutInOrderOverManyLaps(int capacity)
    {
        var channel = new LockFreeChannel<int>(capacity);
        var model = new Queue<int>();
        var random = new Random(capacity);
        var next = 0;
        for (var round = 0; round < 2_000; round++)
        {
            var writes = random.Next(capacity + 2);
            for (var i = 0; i < writes; i++)
            {
                var accepted = channel.Writer.TryWrite(next);
                Assert.Equal(model.Count < capacity, accepted);
                if (accepted)
                    model.Enqueue(next++);
            }
            Assert.Equal(model.Count, channel.Reader.Count);
            var reads = random.Next(capacity + 2);
            for (var i = 0; i < reads; i++)
            {
                var took = channel.Reader.TryRead(out var item);
                Assert.Equal(model.Count > 0, took);
                if (took)
                    Assert.Equal(model.Dequeue(), item);
            }
            Assert.Equal(model.Count, channel.Reader.Count);
        }
        Assert.True(next >= 5 * capacity, $"only {next} items went through a channel of {capacity}: fewer than five laps");
    }

    [Fact]
    public void AFullChannelTakesAnItemAgainOnceOneIsRead()
    {
        var channel = new LockFreeChannel<string>(2);
        Assert.True(channel.Writer.TryWrite("a"));
        Assert.True(channel.Writer.TryWrite("b"));
        Assert.False(channel.Writer.TryWrite("c"));
        Assert.True(channel.Reader.TryPeek(out var peeked));
        Assert.Equal("a", peeked);
        Assert.Equal(2, channel.Reader.Count);
        Assert.True(channel.Reader.TryRead(out var first));
        Assert.Equal("a", first);
        Assert.True(channel.Writer.TryWrite("c"));
        Assert.Equal(["b", "c"], Drain(channel.Reader));
        Assert.False(channel.Reader.TryPeek(out _));
    }

    [Fact]
    public void ZeroCapacityIsRefusedWithTheValue()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new LockFreeChannel<int>(0));
        Assert.Equal("capacity", error.ParamName);
        Assert.Equal(0, error.ActualValue);
    }

    [Fact]
    public async Task AWaitingReaderIsWokenByAWriteButNotInsideIt()
    {
        var channel = new LockFreeChannel<int>(4);
        var wait = channel.Reader.WaitToReadAsync();
        Assert.False(wait.IsCompleted);
        var continuationThread = 0;
        var continued = Continue(wait, () => continuationThread = Environment.CurrentManagedThreadId);
        // The write on a thread of its own, outside the thread pool: a continuation run on it ran inside TryWrite.
        var writerThread = 0;
        var written = false;
        var writer = new Thread(() =>
        {
            writerThread = Environment.CurrentManagedThreadId;
            written = channel.Writer.TryWrite(42);
        });
        writer.Start();
        Assert.True(await continued.WaitAsync(Generous));
        Assert.True(writer.Join(Generous));
        Assert.True(written);
        Assert.NotEqual(0, continuationThread);
        Assert.NotEqual(writerThread, continuationThread);
        Assert.True(channel.Reader.TryRead(out var item));
        Assert.Equal(42, item);
    }

    [Fact]
    public async Task AWaitingWriterIsWokenByARead()
    {
        var channel = new LockFreeChannel<int>(1);
        Assert.True(channel.Writer.TryWrite(1));
        var wait = channel.Writer.WaitToWriteAsync();
        Assert.False(wait.IsCompleted);
        var write = channel.Writer.WriteAsync(2);
        Assert.False(write.IsCompleted);
        Assert.True(channel.Reader.TryRead(out var first));
        Assert.Equal(1, first);
        Assert.True(await wait.AsTask().WaitAsync(Generous));
        await write.AsTask().WaitAsync(Generous);
        Assert.Equal(2, await channel.Reader.ReadAsync().AsTask().WaitAsync(Generous));
    }

    [Fact]
    public async Task ACancelledWaitEndsWithItsTokenAndLeavesTheChannelUsable()
    {
        var channel = new LockFreeChannel<int>(4);
        using var cancel = new CancellationTokenSource();
        var wait = channel.Reader.WaitToReadAsync(cancel.Token).AsTask();
        var read = channel.Reader.ReadAsync(cancel.Token).AsTask();
        cancel.Cancel();
        var waitError = await Assert.ThrowsAnyAsync<OperationCanceledException>(() => wait.WaitAsync(Generous));
        Assert.Equal(cancel.Token, waitError.CancellationToken);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => read.WaitAsync(Generous));
        var next = channel.Reader.WaitToReadAsync().AsTask();
        Assert.True(channel.Writer.TryWrite(5));
        Assert.True(await next.WaitAsync(Generous));
        Assert.True(channel.Reader.TryRead(out var item));
        Assert.Equal(5, item);
    }

    [Fact]
    public async Task TwoWaitsAtOnceWithoutATokenAreBothWoken()
    {
        var channel = new LockFreeChannel<int>(4);
        var first = channel.Reader.WaitToReadAsync().AsTask(); // the pooled waiter
        var second = channel.Reader.WaitToReadAsync().AsTask(); // a waiter of its own
        Assert.True(channel.Writer.TryWrite(1));
        var woken = await Task.WhenAll(first, second).WaitAsync(Generous);
        Assert.Equal([true, true], woken);
        for (var round = 0; round < 100; round++)
        {
            Assert.True(channel.Reader.TryRead(out var item));
            Assert.Equal(round + 1, item);
            var again = channel.Reader.WaitToReadAsync(); // the pooled waiter, again and again
            Assert.True(channel.Writer.TryWrite(round + 2));
            Assert.True(await again.AsTask().WaitAsync(Generous));
        }
    }

    [Fact]
    public async Task CompletionWaitsForTheLastItemToBeRead()
    {
        var channel = new LockFreeChannel<int>(4);
        Assert.True(channel.Writer.TryWrite(1));
        Assert.True(channel.Writer.TryWrite(2));
        Assert.True(channel.Writer.TryComplete());
        Assert.False(channel.Writer.TryComplete());
        Assert.False(channel.Writer.TryWrite(3));
        Assert.False(await channel.Writer.WaitToWriteAsync());
        await Assert.ThrowsAsync<ChannelClosedException>(() => channel.Writer.WriteAsync(3).AsTask());
        Assert.False(channel.Reader.Completion.IsCompleted);
        Assert.True(await channel.Reader.WaitToReadAsync());
        Assert.Equal([1, 2], Drain(channel.Reader));
        await channel.Reader.Completion.WaitAsync(Generous);
        Assert.False(await channel.Reader.WaitToReadAsync());
        await Assert.ThrowsAsync<ChannelClosedException>(() => channel.Reader.ReadAsync().AsTask());
    }

    [Fact]
    public async Task CompletionWithAnErrorReachesEveryWaitAfterTheItems()
    {
        var channel = new LockFreeChannel<int>(1);
        var error = new InvalidOperationException("writer failed");
        Assert.True(channel.Writer.TryWrite(1));
        var blockedWait = channel.Writer.WaitToWriteAsync().AsTask();
        var blockedWrite = channel.Writer.WriteAsync(2).AsTask();
        Assert.True(channel.Writer.TryComplete(error));
        Assert.Same(error, await Assert.ThrowsAsync<InvalidOperationException>(() => blockedWait.WaitAsync(Generous)));
        var closed = await Assert.ThrowsAsync<ChannelClosedException>(() => blockedWrite.WaitAsync(Generous));
        Assert.Same(error, closed.InnerException);
        Assert.Equal(1, await channel.Reader.ReadAsync());
        var completion = await Assert.ThrowsAsync<InvalidOperationException>(() => channel.Reader.Completion.WaitAsync(Generous));
        Assert.Same(error, completion);
        Assert.Same(error, await Assert.ThrowsAsync<InvalidOperationException>(() => channel.Reader.WaitToReadAsync().AsTask()));
        var readError = await Assert.ThrowsAsync<ChannelClosedException>(() => channel.Reader.ReadAsync().AsTask());
        Assert.Same(error, readError.InnerException);
    }

    [Fact]
    public async Task AReaderWaitingOnAnEmptyChannelLearnsOfItsCompletion()
    {
        var channel = new LockFreeChannel<int>(4);
        var wait = channel.Reader.WaitToReadAsync().AsTask();
        var read = channel.Reader.ReadAsync().AsTask();
        Assert.True(channel.Writer.TryComplete());
        Assert.False(await wait.WaitAsync(Generous));
        await Assert.ThrowsAsync<ChannelClosedException>(() => read.WaitAsync(Generous));
        await channel.Reader.Completion.WaitAsync(Generous);
    }

    [Fact]
    public void AReadItemIsNotKeptAliveByTheChannel()
    {
        var channel = new LockFreeChannel<object>(4);
        var written = WriteAndReadOne(channel);
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        Assert.False(written.IsAlive);
    }

    [Fact]
    public async Task FourWritersAndOneReaderLoseNothingAndKeepEachWritersOrder()
    {
        const int writers = 4, perWriter = 50_000;
        var channel = new LockFreeChannel<long>(7);
        var writing = Enumerable.Range(0, writers).Select(w => Task.Run(async () =>
        {
            for (long i = 0; i < perWriter; i++)
            {
                if (i % 2 == 0)
                {
                    await channel.Writer.WriteAsync(((long)w << 32) | i);
                }
                else
                {
                    while (!channel.Writer.TryWrite(((long)w << 32) | i))
                        await channel.Writer.WaitToWriteAsync();
                }
            }
        })).ToArray();
        _ = Task.WhenAll(writing).ContinueWith(_ => channel.Writer.TryComplete(), TaskScheduler.Default);
        var nextOf = new long[writers];
        await foreach (var item in channel.Reader.ReadAllAsync().WithCancellation(new CancellationTokenSource(Generous * 2).Token))
        {
            var writer = (int)(item >> 32);
            Assert.Equal(nextOf[writer], item & 0xFFFF_FFFF);
            nextOf[writer]++;
        }
        await Task.WhenAll(writing);
        Assert.All(nextOf, n => Assert.Equal(perWriter, n));
        await channel.Reader.Completion.WaitAsync(Generous);
    }

    [Fact]
    public async Task ThreeWritersAndThreeCompetingReadersTakeEachItemExactlyOnce()
    {
        const int writers = 3, perWriter = 40_000;
        var channel = new LockFreeChannel<int>(5);
        var writing = Enumerable.Range(0, writers).Select(w => Task.Run(async () =>
        {
            for (var i = 0; i < perWriter; i++)
                await channel.Writer.WriteAsync(w * perWriter + i);
        })).ToArray();
        _ = Task.WhenAll(writing).ContinueWith(_ => channel.Writer.TryComplete(), TaskScheduler.Default);
        var reading = Enumerable.Range(0, 3).Select(r => Task.Run(async () =>
        {
            var seen = new List<int>();
            while (await channel.Reader.WaitToReadAsync())
            {
                while (channel.Reader.TryRead(out var item))
                    seen.Add(item);
            }
            return seen;
        })).ToArray();
        var all = (await Task.WhenAll(reading).WaitAsync(Generous * 2)).SelectMany(s => s).Order().ToArray();
        Assert.Equal(Enumerable.Range(0, writers * perWriter), all);
        Assert.Equal(0, channel.Reader.Count);
    }

    [Fact]
    public async Task APingPongThroughTwoOneItemChannelsNeverLosesAWakeUp()
    {
        const int rounds = 100_000;
        var there = new LockFreeChannel<int>(1);
        var back = new LockFreeChannel<int>(1);
        var echo = Task.Run(async () =>
        {
            while (await there.Reader.WaitToReadAsync())
            {
                while (there.Reader.TryRead(out var item))
                    await back.Writer.WriteAsync(item);
            }
        });
        for (var i = 0; i < rounds; i++)
        {
            Assert.True(there.Writer.TryWrite(i));
            Assert.Equal(i, await back.Reader.ReadAsync().AsTask().WaitAsync(Generous));
        }
        there.Writer.TryComplete();
        await echo.WaitAsync(Generous);
    }

    [Fact]
    public async Task APeekWhileOthersReadNeverSeesATakenOrClearedItem()
    {
        const int items = 200_000;
        var channel = new LockFreeChannel<string>(8);
        var values = Enumerable.Range(0, 64).Select(i => $"item{i}").ToArray();
        using var stop = new CancellationTokenSource();
        var writing = Task.Run(async () =>
        {
            for (var i = 0; i < items; i++)
                await channel.Writer.WriteAsync(values[i % values.Length]);
            channel.Writer.TryComplete();
        });
        var reading = Task.Run(async () =>
        {
            var count = 0;
            await foreach (var item in channel.Reader.ReadAllAsync())
            {
                Assert.NotNull(item);
                count++;
            }
            return count;
        });
        var peeks = 0;
        var peeking = Task.Run(() =>
        {
            while (!channel.Reader.Completion.IsCompleted)
            {
                if (channel.Reader.TryPeek(out var peeked))
                {
                    Assert.NotNull(peeked);
                    Assert.StartsWith("item", peeked);
                    peeks++;
                }
            }
        });
        Assert.Equal(items, await reading.WaitAsync(Generous));
        await Task.WhenAll(writing, peeking).WaitAsync(Generous);
        Assert.True(peeks > 0, "the peeker never saw an item");
    }

    [Fact]
    public async Task ALoneReaderToldThereIsAnItemAlwaysGetsIt()
    {
        for (var round = 0; round < 2_000; round++)
        {
            var channel = new LockFreeChannel<int>(4);
            var written = round % 3; // 0, 1 or 2 items, then the end, racing the reader's waits
            var writer = Task.Run(() =>
            {
                for (var i = 0; i < written; i++)
                    Assert.True(channel.Writer.TryWrite(i));
                Assert.True(channel.Writer.TryComplete());
            });
            var read = 0;
            while (await channel.Reader.WaitToReadAsync().AsTask().WaitAsync(Generous))
            {
                Assert.True(channel.Reader.TryRead(out var item), $"round {round}: WaitToReadAsync said true, TryRead found nothing");
                Assert.Equal(read++, item);
            }
            Assert.Equal(written, read);
            await writer.WaitAsync(Generous);
            await channel.Reader.Completion.WaitAsync(Generous);
        }
    }

    [Fact]
    public async Task WritesRacingTheEndAreReadExactlyWhenTheyWereAccepted()
    {
        for (var round = 0; round < 200; round++)
        {
            var channel = new LockFreeChannel<int>(16);
            var accepted = new int[3];
            var writers = Enumerable.Range(0, 3).Select(w => Task.Run(async () =>
            {
                for (var i = 0; ; i++)
                {
                    try
                    {
                        await channel.Writer.WriteAsync(w);
                    }
                    catch (ChannelClosedException)
                    {
                        return;
                    }
                    accepted[w]++;
                    if (w == 0 && i == 50)
                        channel.Writer.TryComplete(); // the end, while the other two write
                }
            })).ToArray();
            var read = new int[3];
            var reader = Task.Run(async () =>
            {
                await foreach (var item in channel.Reader.ReadAllAsync())
                    read[item]++;
            });
            await Task.WhenAll(writers).WaitAsync(Generous);
            await reader.WaitAsync(Generous);
            Assert.Equal(accepted, read);
            Assert.Equal(TaskStatus.RanToCompletion, channel.Reader.Completion.Status);
        }
    }

    [Fact]
    public async Task AnEndCarryingACancellationCancelsTheReadersWithIt()
    {
        var channel = new LockFreeChannel<int>(4);
        using var source = new CancellationTokenSource();
        source.Cancel();
        var end = new OperationCanceledException(source.Token);
        Assert.True(channel.Writer.TryWrite(7));
        Assert.True(channel.Writer.TryComplete(end));
        Assert.Equal(7, await channel.Reader.ReadAsync());
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => channel.Reader.Completion.WaitAsync(Generous));
        Assert.True(channel.Reader.Completion.IsCanceled);
        Assert.Same(end, await Assert.ThrowsAsync<OperationCanceledException>(() => channel.Reader.ReadAsync().AsTask()));
        Assert.Same(end, await Assert.ThrowsAsync<OperationCanceledException>(() => channel.Reader.WaitToReadAsync().AsTask()));
        Assert.Same(end, await Assert.ThrowsAsync<OperationCanceledException>(() => channel.Writer.WriteAsync(8).AsTask()));
    }

    [Fact]
    public async Task ACancelledWriteOrReadNeitherWritesNorTakes()
    {
        var channel = new LockFreeChannel<int>(1);
        for (var round = 0; round < 2_000; round++)
        {
            // A write waiting on a full channel; a read frees the slot while its token is cancelled.
            Assert.True(channel.Writer.TryWrite(-1));
            using (var cancel = new CancellationTokenSource())
            {
                var write = channel.Writer.WriteAsync(round, cancel.Token).AsTask();
                var cancelling = Task.Run(cancel.Cancel);
                Assert.True(channel.Reader.TryRead(out var filler));
                Assert.Equal(-1, filler);
                await cancelling;
                var written = await Completes(write);
                Assert.Equal(written ? [round] : [], Drain(channel.Reader));
            }

            // A read waiting on an empty channel; a write fills it while its token is cancelled.
            using (var cancel = new CancellationTokenSource())
            {
                var read = channel.Reader.ReadAsync(cancel.Token).AsTask();
                var cancelling = Task.Run(cancel.Cancel);
                Assert.True(channel.Writer.TryWrite(round));
                await cancelling;
                var took = await Completes(read);
                if (took)
                    Assert.Equal(round, await read);
                Assert.Equal(took ? [] : [round], Drain(channel.Reader));
            }
        }
    }

    private static async Task<bool> Completes(Task task)
    {
        try
        {
            await task.WaitAsync(Generous);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    [Fact]
    public async Task AWaitingReaderWaitsOutAWriterThatClaimedASlotButHasNotStampedIt()
    {
        // The writer's half: it moved the tail (its CAS) and looked for waiting readers before the reader queued,
        // so it will never wake the reader. The reader's look after queueing sees the tail moved and must wait
        // for the stamp instead of sleeping.
        var channel = new LockFreeChannel<long>(4);
        Slots.CheckLayout();
        Positions(channel).Tail = 1;
        ValueTask<bool> wait = default;
        var reader = new Thread(() => wait = channel.Reader.WaitToReadAsync());
        reader.Start();
        Assert.False(reader.Join(TimeSpan.FromMilliseconds(200)), "the reader's look returned while the slot was claimed and not stamped");
        Slots.Publish(channel, index: 0, item: 99, stamp: 1); // the writer's other half: item and stamp, no wake
        Assert.True(reader.Join(Generous));
        Assert.True(await wait.AsTask().WaitAsync(Generous));
        Assert.True(channel.Reader.TryRead(out var item));
        Assert.Equal(99, item);
    }

    [Fact]
    public async Task AWaitingWriterWaitsOutAReaderThatTookASlotButHasNotStampedIt()
    {
        // Capacity 1, one item; the reader's half: it moved the head past the item (its CAS) and looked for waiting
        // writers before the writer queued. The writer's look after queueing sees the head moved and must wait for
        // the slot's new stamp instead of sleeping.
        var channel = new LockFreeChannel<long>(1);
        Assert.True(channel.Writer.TryWrite(5));
        var oneLap = Positions(channel).Tail; // the position after the only slot: the next lap's index 0
        Positions(channel).Head = oneLap;
        ValueTask<bool> wait = default;
        var writer = new Thread(() => wait = channel.Writer.WaitToWriteAsync());
        writer.Start();
        Assert.False(writer.Join(TimeSpan.FromMilliseconds(200)), "the writer's look returned while the slot was taken and not stamped");
        Slots.Publish(channel, index: 0, item: 0, stamp: oneLap); // the reader's other half: the slot's next-lap stamp, no wake
        Assert.True(writer.Join(Generous));
        Assert.True(await wait.AsTask().WaitAsync(Generous));
        Assert.True(channel.Writer.TryWrite(6));
        Assert.True(channel.Reader.TryRead(out var item));
        Assert.Equal(6, item);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public async Task EightWritersAndEightReadersTakeEveryItemExactlyOnce(int capacity)
    {
        // More threads than the CI machine's two cores: an end is often preempted between its CAS and its stamp.
        const int ends = 8, perWriter = 5_000;
        var channel = new LockFreeChannel<int>(capacity);
        var watchdog = TimeSpan.FromSeconds(10);
        var writers = Enumerable.Range(0, ends).Select(w => Task.Run(async () =>
        {
            for (var i = 0; i < perWriter; i++)
                await channel.Writer.WriteAsync(w * perWriter + i).AsTask().WaitAsync(watchdog);
        })).ToArray();
        var taken = new int[ends * perWriter];
        var readers = Enumerable.Range(0, ends).Select(_ => Task.Run(async () =>
        {
            for (var i = 0; i < perWriter; i++)
                Interlocked.Increment(ref taken[await channel.Reader.ReadAsync().AsTask().WaitAsync(watchdog)]);
        })).ToArray();
        await Task.WhenAll(writers.Concat(readers)).WaitAsync(Generous);
        Assert.All(taken, count => Assert.Equal(1, count));
        Assert.Equal(0, channel.Reader.Count);
    }

    [Theory]
    [InlineData(LockFreeChannel<int>.LargestCapacity)]
    [InlineData(LockFreeChannel<int>.LargestCapacity + 1)]
    public void AnInProcessBufferHoldsExactlyItsCapacityOnEitherSideOfTheLockFreeLimit(int capacity)
    {
        // Up to the limit the lock-free channel (slots allocated up front), above it the BCL's bounded channel.
        var buffer = new PumaBuffer<int>("big", capacity);
        buffer.OpenInProcess();
        for (var i = 0; i < capacity; i++)
            Assert.True(buffer.Writer.TryWrite(i));
        Assert.False(buffer.Writer.TryWrite(capacity));
        Assert.Equal(capacity, buffer.Reader.Count);
        Assert.True(buffer.Reader.TryRead(out var first));
        Assert.Equal(0, first);
        Assert.True(buffer.Writer.TryWrite(capacity));
    }

    [UnsafeAccessor(UnsafeAccessorKind.Field, Name = "_positions")]
    private static extern ref ChannelPositions Positions(LockFreeChannel<long> channel);

    /// <summary>The slots of a channel of <c>long</c>, written as a writer or reader in the middle of its work would.</summary>
    private static class Slots
    {
        // A slot of LockFreeChannel<long> is { long Stamp; long Item; }: 16 bytes, the stamp first.
        private const int Size = 16;

        public static void Publish(LockFreeChannel<long> channel, int index, long item, long stamp)
        {
            ref var slot = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(Array(channel)), index * Size);
            Unsafe.WriteUnaligned(ref Unsafe.Add(ref slot, 8), item);
            Volatile.Write(ref Unsafe.As<byte, long>(ref slot), stamp);
        }

        /// <summary>Checks the layout assumed above against a real write.</summary>
        public static void CheckLayout()
        {
            var channel = new LockFreeChannel<long>(2);
            Assert.True(channel.Writer.TryWrite(77));
            ref var slot = ref MemoryMarshal.GetArrayDataReference(Array(channel));
            Assert.Equal(1, Unsafe.ReadUnaligned<long>(ref slot));
            Assert.Equal(77, Unsafe.ReadUnaligned<long>(ref Unsafe.Add(ref slot, 8)));
            Assert.Equal(0, Unsafe.ReadUnaligned<long>(ref Unsafe.Add(ref slot, Size + 8)));
            Assert.Equal(1, Unsafe.ReadUnaligned<long>(ref Unsafe.Add(ref slot, Size))); // the second slot's first stamp
        }

        private static Array Array(LockFreeChannel<long> channel) =>
            (Array)typeof(LockFreeChannel<long>).GetField("_slots", BindingFlags.NonPublic | BindingFlags.Instance)!.GetValue(channel)!;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static WeakReference WriteAndReadOne(LockFreeChannel<object> channel)
    {
        var item = new object();
        Assert.True(channel.Writer.TryWrite(item));
        Assert.True(channel.Reader.TryRead(out var read));
        Assert.Same(item, read);
        return new WeakReference(item);
    }

    private static async Task<bool> Continue(ValueTask<bool> wait, Action then)
    {
        var result = await wait.ConfigureAwait(false);
        then();
        return result;
    }

    private static List<T> Drain<T>(ChannelReader<T> reader)
    {
        var items = new List<T>();
        while (reader.TryRead(out var item))
            items.Add(item);
        return items;
    }
}
