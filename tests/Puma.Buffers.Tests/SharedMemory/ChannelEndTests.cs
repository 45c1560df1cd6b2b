using System.Threading.Channels;
using Puma.Buffers.SharedMemory;

namespace Puma.Buffers.Tests.SharedMemory;

public readonly record struct Sample(int Id, double Value, long Ticks);

public sealed record Order(string Customer, int Quantity, List<string> Lines);

/// <summary>The typed channel ends in one process (threads on both sides).</summary>
public sealed class ChannelEndTests
{
    [Fact]
    public async Task RawTypesRoundTrip()
    {
        using var ring = RingTestSupport.Create(capacity: 1 << 16, writers: 5);
        using var samples = ring.CreateWriter<Sample>();
        using var strings = ring.CreateWriter<string>();
        using var bytes = ring.CreateWriter<byte[]>();
        using var arrays = ring.CreateWriter<Sample[]>();
        using var memory = ring.CreateWriter<ReadOnlyMemory<byte>>();
        using var reader = ring.CreateReader<Sample>();
        Assert.True(samples.TryWrite(new Sample(1, 2.5, 3)));
        Assert.True(reader.TryRead(out var sample));
        Assert.Equal(new Sample(1, 2.5, 3), sample);

        Assert.True(strings.TryWrite("héllo ✓"));
        Assert.True(strings.TryWrite(null!));
        Assert.True(bytes.TryWrite([1, 2, 3]));
        Assert.True(arrays.TryWrite([new Sample(4, 5, 6), new Sample(7, 8, 9)]));
        Assert.True(memory.TryWrite(new byte[] { 9, 8 }));
        // Read them back through raw spans and per-type codecs.
        Assert.True(reader.Raw.TryAcquire(out var text));
        Assert.Equal("héllo ✓", new Codecs.StringCodec().Decode(text));
        reader.Raw.Release();
        Assert.True(reader.Raw.TryAcquire(out var nothing));
        Assert.Equal(0, nothing.Length);
        reader.Raw.Release();
        Assert.True(reader.Raw.TryAcquire(out var three));
        Assert.Equal(new byte[] { 1, 2, 3 }, three.ToArray());
        reader.Raw.Release();
        Assert.True(reader.Raw.TryAcquire(out var array));
        Assert.Equal([new Sample(4, 5, 6), new Sample(7, 8, 9)], new Codecs.UnmanagedArrayCodec<Sample>().Decode(array));
        reader.Raw.Release();
        Assert.True(reader.Raw.TryAcquire(out var two));
        Assert.Equal(new byte[] { 9, 8 }, two.ToArray());
        reader.Raw.Release();
        await Task.CompletedTask;
    }

    [Fact]
    public void TypesArePickedTheirCodec()
    {
        Assert.IsType<Codecs.UnmanagedCodec<Sample>>(Codecs.CodecResolver.Resolve<Sample>());
        Assert.IsType<Codecs.UnmanagedCodec<int>>(Codecs.CodecResolver.Resolve<int>());
        Assert.IsType<Codecs.UnmanagedArrayCodec<double>>(Codecs.CodecResolver.Resolve<double[]>());
        Assert.IsType<Codecs.ByteArrayCodec>(Codecs.CodecResolver.Resolve<byte[]>());
        Assert.IsType<Codecs.StringCodec>(Codecs.CodecResolver.Resolve<string>());
        Assert.IsType<Codecs.ReadOnlyMemoryCodec>(Codecs.CodecResolver.Resolve<ReadOnlyMemory<byte>>());
        Assert.IsType<Codecs.JsonCodec<Order>>(Codecs.CodecResolver.Resolve<Order>());
        Assert.IsType<Codecs.JsonCodec<string[]>>(Codecs.CodecResolver.Resolve<string[]>());
    }

    [Fact]
    public async Task JsonItemsRoundTripAndTheStreamCompletesWhenTheWriterIsReleased()
    {
        using var ring = RingTestSupport.Create(capacity: 4096);
        using var writer = ring.CreateWriter<Order>();
        using var reader = ring.CreateReader<Order>();
        var producer = Task.Run(async () =>
        {
            for (var i = 0; i < 2000; i++)
                await writer.WriteAsync(new Order("c" + i, i, ["a", "b" + i]));
            writer.ReleaseWriter();
        });
        var count = 0;
        await foreach (var order in reader.ReadAllAsync().WithCancellation(new CancellationTokenSource(RingTestSupport.Generous).Token))
        {
            Assert.Equal("c" + count, order.Customer);
            Assert.Equal(count, order.Quantity);
            Assert.Equal(["a", "b" + count], order.Lines);
            count++;
        }
        Assert.Equal(2000, count);
        await producer;
        await reader.Completion.WaitAsync(RingTestSupport.Generous);
        Assert.False(writer.TryWrite(new Order("late", 0, [])));
        await Assert.ThrowsAsync<ChannelClosedException>(async () => await writer.WriteAsync(new Order("late", 0, [])));
    }

    [Fact]
    public async Task CompletionWithAnErrorReachesTheReaderAfterDraining()
    {
        using var ring = RingTestSupport.Create(capacity: 4096);
        using var writer = ring.CreateWriter<int>();
        using var reader = ring.CreateReader<int>();
        for (var i = 0; i < 10; i++) Assert.True(writer.TryWrite(i));
        Assert.True(writer.TryComplete(new InvalidOperationException("broken")));
        Assert.False(writer.TryComplete());
        var items = new List<int>();
        var error = await Assert.ThrowsAsync<RemoteBufferException>(async () =>
        {
            await foreach (var item in reader.ReadAllAsync()) items.Add(item);
        });
        Assert.Equal(Enumerable.Range(0, 10), items);
        Assert.Equal("System.InvalidOperationException", error.RemoteType);
        Assert.Equal("broken", error.Message);
        var completion = await Assert.ThrowsAsync<RemoteBufferException>(() => reader.Completion.WaitAsync(RingTestSupport.Generous));
        Assert.Equal("broken", completion.Message);
    }

    [Fact]
    public async Task TheRingCompletesWhenEveryWriterReferenceIsReleased()
    {
        using var ring = RingTestSupport.Create(capacity: 4096, writers: 2);
        using var first = ring.CreateWriter<int>();
        using var second = ring.CreateWriter<int>();
        using var reader = ring.CreateReader<int>();
        Assert.True(first.TryWrite(1));
        first.ReleaseWriter();
        first.ReleaseWriter();
        Assert.True(second.TryWrite(2));
        Assert.False(ring.IsCompleted);
        var wait = reader.WaitToReadAsync();
        Assert.True(await wait);
        Assert.True(reader.TryRead(out var one));
        Assert.True(reader.TryRead(out var two));
        Assert.Equal((1, 2), (one, two));
        var pending = reader.WaitToReadAsync().AsTask();
        await Task.Delay(50);
        Assert.False(pending.IsCompleted);
        second.ReleaseWriter();
        Assert.False(await pending.WaitAsync(RingTestSupport.Generous));
        await reader.Completion.WaitAsync(RingTestSupport.Generous);
    }

    [Fact]
    public async Task AParkedAsyncReaderWakesForData()
    {
        using var ring = RingTestSupport.Create(capacity: 4096);
        using var writer = ring.CreateWriter<long>();
        using var reader = ring.CreateReader<long>();
        for (var round = 0; round < 20; round++)
        {
            var wait = reader.ReadAsync().AsTask();
            await Task.Delay(round % 5 == 0 ? 30 : 1);
            Assert.True(writer.TryWrite(round));
            Assert.Equal(round, await wait.WaitAsync(RingTestSupport.Generous));
        }
    }

    [Fact]
    public async Task AnAsyncWaitCanBeCancelled()
    {
        using var ring = RingTestSupport.Create(capacity: 4096);
        using var writer = ring.CreateWriter<long>();
        using var reader = ring.CreateReader<long>();
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(100));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await reader.WaitToReadAsync(cancel.Token));
        Assert.True(writer.TryWrite(5));
        Assert.Equal(5, await reader.ReadAsync().AsTask().WaitAsync(RingTestSupport.Generous));
    }

    [Fact]
    public async Task ABlockedWriterWaitsForTheReader()
    {
        using var ring = RingTestSupport.Create(capacity: 1024);
        using var writer = ring.CreateWriter<long>();
        using var reader = ring.CreateReader<long>();
        const int count = 20_000;
        var producer = Task.Run(async () =>
        {
            for (long i = 0; i < count; i++) await writer.WriteAsync(i);
            writer.ReleaseWriter();
        });
        long expected = 0;
        while (await reader.WaitToReadAsync())
        {
            while (reader.TryRead(out var item))
            {
                Assert.Equal(expected++, item);
                if (expected % 5000 == 0) await Task.Delay(20);
            }
        }
        Assert.Equal(count, expected);
        await producer.WaitAsync(RingTestSupport.Generous);
    }

    [Fact]
    public async Task CompetingReadersInThreadsGetEachItemOnce()
    {
        using var ring = RingTestSupport.Create(capacity: 2048, mode: BufferMode.Competing, readers: 3);
        using var writer = ring.CreateWriter<int>();
        var readers = Enumerable.Range(0, 3).Select(slot => ring.CreateReader<int>(slot)).ToArray();
        const int count = 60_000;
        var consumers = readers.Select(reader => Task.Run(async () =>
        {
            var seen = new List<int>();
            await foreach (var item in reader.ReadAllAsync()) seen.Add(item);
            return seen;
        })).ToArray();
        for (var i = 0; i < count; i++) await writer.WriteAsync(i);
        writer.ReleaseWriter();
        var all = (await Task.WhenAll(consumers).WaitAsync(RingTestSupport.Generous)).SelectMany(s => s).Order().ToArray();
        Assert.Equal(Enumerable.Range(0, count), all);
        foreach (var reader in readers) reader.Dispose();
    }

    [Fact]
    public async Task BroadcastReadersInThreadsEachGetEveryItem()
    {
        using var ring = RingTestSupport.Create(capacity: 2048, mode: BufferMode.Broadcast, readers: 2);
        using var writer = ring.CreateWriter<int>();
        var readers = Enumerable.Range(0, 2).Select(slot => ring.CreateReader<int>(slot)).ToArray();
        const int count = 30_000;
        var consumers = readers.Select(reader => Task.Run(async () =>
        {
            var seen = new List<int>();
            await foreach (var item in reader.ReadAllAsync()) seen.Add(item);
            return seen;
        })).ToArray();
        for (var i = 0; i < count; i++) await writer.WriteAsync(i);
        writer.ReleaseWriter();
        foreach (var seen in await Task.WhenAll(consumers).WaitAsync(RingTestSupport.Generous))
            Assert.Equal(Enumerable.Range(0, count), seen);
        foreach (var reader in readers) reader.Dispose();
    }

    [Fact]
    public async Task ManyWriterThreadsKeepTheirOrder()
    {
        const int writers = 4, perWriter = 20_000;
        using var ring = RingTestSupport.Create(capacity: 4096, writers: writers);
        using var reader = ring.CreateReader<long>();
        var producers = Enumerable.Range(0, writers).Select(w => Task.Run(async () =>
        {
            using var writer = ring.CreateWriter<long>();
            for (long i = 0; i < perWriter; i++) await writer.WriteAsync(((long)w << 32) | i);
            writer.ReleaseWriter();
        })).ToArray();
        var next = new long[writers];
        await foreach (var item in reader.ReadAllAsync())
        {
            var w = (int)(item >> 32);
            Assert.Equal(next[w]++, item & 0xFFFFFFFF);
        }
        Assert.All(next, n => Assert.Equal(perWriter, n));
        await Task.WhenAll(producers).WaitAsync(RingTestSupport.Generous);
    }

    [Fact]
    public async Task ADisposedBroadcastReaderNoLongerHoldsTheWriterBack()
    {
        using var ring = RingTestSupport.Create(capacity: 1024, mode: BufferMode.Broadcast, readers: 2);
        using var writer = ring.CreateWriter<int>();
        var idle = ring.CreateReader<int>(0);
        using var live = ring.CreateReader<int>(1);
        const int count = 5000;
        var (producer, consumer) = RingTestSupport.Pump(writer, live, count);
        await Task.Delay(200);
        Assert.False(producer.IsCompleted);
        idle.Dispose();
        await producer.WaitAsync(RingTestSupport.Generous);
        var received = await consumer.WaitAsync(RingTestSupport.Generous);
        Assert.Equal(Enumerable.Range(0, count), received);
    }

    [Fact]
    public void DisposingTheRingReleasesItsWritersSoOtherProcessesSeeCompletion()
    {
        using var ring = RingTestSupport.Create(capacity: 1024);
        var attached = SharedMemoryRing.Attach(ring.Name);
        var writer = attached.CreateWriter<int>();
        Assert.True(writer.TryWrite(1));
        attached.Dispose();
        using var reader = ring.CreateReader<int>();
        Assert.True(reader.TryRead(out var one));
        Assert.Equal(1, one);
        Assert.False(reader.Raw.WaitToRead(new CancellationTokenSource(RingTestSupport.Generous).Token));
    }

    [Fact]
    public async Task DisposingTheRingEndsAPendingAsyncWait()
    {
        for (var round = 0; round < 20; round++) await DisposeWithAPendingWait(round % 2 == 0 ? 100 : 1);
    }

    private static async Task DisposeWithAPendingWait(int delayMs)
    {
        var ring = RingTestSupport.Create(capacity: 1024);
        var writer = ring.CreateWriter<int>();
        var reader = ring.CreateReader<int>();
        var pending = reader.WaitToReadAsync().AsTask();
        await Task.Delay(delayMs);
        Assert.False(pending.IsCompleted);
        ring.Dispose();
        // Disposing the ring releases the writer first (the ring completes: false) or the reader
        // first (the wait sees its end disposed); either way the wait ends and nothing crashes.
        try
        {
            Assert.False(await pending.WaitAsync(RingTestSupport.Generous));
        }
        catch (ObjectDisposedException)
        {
        }
        RingTestSupport.AssertGone(ring.Name);
        GC.KeepAlive(writer);
    }

    [Fact]
    public void EveryReleaseIsVisibleToTheWriterAtOnce()
    {
        // The reader fences lazily while it drains, but stores its position on every release: a
        // writer facing a full ring sees each item read as room, even if the reader then stops.
        using var ring = RingTestSupport.Create(capacity: 4096);
        using var writer = ring.CreateWriter<long>();
        using var reader = ring.CreateReader<long>();
        long written = 0;
        while (writer.TryWrite(written)) written++;
        Assert.True(written > 10, $"only {written} items fit");
        for (var i = 0; i < 3; i++)
        {
            Assert.True(reader.TryRead(out var item));
            Assert.Equal(i, item);
            Assert.True(writer.TryWrite(written++), $"no room after reading item {i}");
            Assert.False(writer.TryWrite(written), "more room than was read");
        }
    }

    [Fact]
    public async Task AParkedWriterProceedsAfterOneReadWhenTheReaderThenStops()
    {
        using var ring = RingTestSupport.Create(capacity: 4096);
        using var writer = ring.CreateWriter<long>();
        using var reader = ring.CreateReader<long>();
        while (writer.TryWrite(1)) { }
        var blocked = writer.WriteAsync(2).AsTask();
        await Task.Delay(300); // past the spin: the writer is parked
        Assert.False(blocked.IsCompleted);
        Assert.True(reader.TryRead(out _));
        await blocked.WaitAsync(RingTestSupport.Generous);
    }

    [Fact]
    public async Task ABlockedWriteCanBeCancelled()
    {
        using var ring = RingTestSupport.Create(capacity: 256);
        using var writer = ring.CreateWriter<long>();
        using var reader = ring.CreateReader<long>();
        while (writer.TryWrite(1)) { }
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(150));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await writer.WriteAsync(2, cancel.Token));
        Assert.True(reader.TryRead(out _));
        await writer.WriteAsync(3).AsTask().WaitAsync(RingTestSupport.Generous);
    }

    [Fact]
    public void TheSynchronousPathsDoNotAllocate()
    {
        using var ring = RingTestSupport.Create(capacity: 1 << 16);
        using var writer = ring.CreateWriter<Sample>();
        using var reader = ring.CreateReader<Sample>();
        void RoundTrips(int count)
        {
            for (var i = 0; i < count; i++)
            {
                if (!writer.WaitToWriteAsync().IsCompletedSuccessfully) throw new InvalidOperationException("expected room");
                writer.TryWrite(new Sample(i, i, i));
                var wait = reader.WaitToReadAsync();
                if (!wait.IsCompletedSuccessfully || !wait.Result) throw new InvalidOperationException("expected an item");
                reader.TryRead(out _);
                writer.WriteAsync(new Sample(i, i, i)).GetAwaiter().GetResult();
                reader.ReadAsync().GetAwaiter().GetResult();
            }
        }
        RoundTrips(1000);
        var before = GC.GetAllocatedBytesForCurrentThread();
        RoundTrips(10_000);
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }
}
