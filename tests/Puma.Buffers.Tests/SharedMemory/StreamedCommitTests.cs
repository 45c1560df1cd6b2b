using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Puma.Buffers.SharedMemory;
using static Puma.Buffers.Tests.SharedMemory.RingTestShared;

namespace Puma.Buffers.Tests.SharedMemory;

/// <summary>
/// Streamed commits (non-temporal stores, <c>RingWriter.Streaming.cs</c>): unmanaged items written in batches on a
/// single-writer ring arrive whole and in order at a reader on another thread, across many wraps, for sizes that take
/// the 16-byte path (64 bytes: 80-byte records), the 8-byte path (24 and 100 bytes) and a last partial word (3 bytes);
/// raw claims behind a batch's head (filled in the writer's staging buffer up to 1 KiB, in place above) arrive whole,
/// an aborted one is skipped, null and encoded items keep their values; nothing of a batch is visible before it is
/// published, and writes outside a batch are published at once.
/// </summary>
public sealed class StreamedCommitTests
{
    [InlineArray(3)]
    private struct Bytes3 { private byte _first; }

    [InlineArray(24)]
    private struct Bytes24 { private byte _first; }

    [InlineArray(64)]
    private struct Bytes64 { private byte _first; }

    [InlineArray(100)]
    private struct Bytes100 { private byte _first; }

    [Fact]
    public Task ThreeByteItemsArriveWholeAndInOrder() => AssertBatchedItemsArriveAsync<Bytes3>();

    [Fact]
    public Task TwentyFourByteItemsArriveWholeAndInOrder() => AssertBatchedItemsArriveAsync<Bytes24>();

    [Fact]
    public Task SixtyFourByteItemsArriveWholeAndInOrder() => AssertBatchedItemsArriveAsync<Bytes64>();

    [Fact]
    public Task HundredByteItemsArriveWholeAndInOrder() => AssertBatchedItemsArriveAsync<Bytes100>();

    [Fact]
    public void ABatchOfStreamedItemsIsInvisibleUntilFlushedThenWhole()
    {
        using var ring = RingTestSupport.Create(capacity: 64 * 1024);
        using var writer = ring.CreateWriter<Bytes64>();
        using var reader = ring.CreateReader<Bytes64>();

        writer.BeginBatch();
        for (var i = 0; i < 20; i++)
            Assert.True(writer.TryWrite(Item<Bytes64>(i)));
        Assert.False(reader.TryRead(out _));
        writer.Flush();

        for (var i = 0; i < 20; i++)
        {
            Assert.True(reader.TryRead(out var item));
            Assert.Equal(Bytes(Item<Bytes64>(i)), Bytes(item));
        }
        Assert.False(reader.TryRead(out _));
    }

    [Fact]
    public void AnItemWrittenOutsideABatchIsReadAtOnce()
    {
        using var ring = RingTestSupport.Create(capacity: 64 * 1024);
        using var writer = ring.CreateWriter<Bytes64>();
        using var reader = ring.CreateReader<Bytes64>();
        writer.BeginBatch();
        writer.TryWrite(Item<Bytes64>(1));
        writer.Flush();

        writer.TryWrite(Item<Bytes64>(2));

        Assert.True(reader.TryRead(out var first));
        Assert.True(reader.TryRead(out var second));
        Assert.Equal(Bytes(Item<Bytes64>(1)), Bytes(first));
        Assert.Equal(Bytes(Item<Bytes64>(2)), Bytes(second));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(13)]
    [InlineData(64)]
    [InlineData(1024)] // the largest staged claim
    [InlineData(1025)] // filled in place
    public async Task RawClaimsInABatchArriveWholeAndInOrder(int length)
    {
        const int count = 3000;
        using var ring = RingTestSupport.Create(capacity: 16 * 1024);
        using var writer = ring.OpenWriter();
        using var reader = ring.OpenReader();
        var consumer = Task.Run(() =>
        {
            var bad = new List<string>();
            for (var n = 0; n < count; n++)
            {
                ReadOnlySpan<byte> message;
                while (!reader.TryAcquire(out message))
                {
                    if (!reader.WaitToRead()) throw new InvalidOperationException($"the ring completed after {n} messages");
                }
                if (message.Length != length || message.IndexOfAnyExcept(Fill(n)) >= 0)
                    bad.Add($"message {n}: {message.Length} bytes, {Convert.ToHexString(message[..Math.Min(8, message.Length)])}...");
                reader.Release();
            }
            return bad;
        });

        var batch = 1;
        for (var n = 0; n < count;)
        {
            writer.BeginBatch();
            for (var k = 0; k < batch && n < count; k++, n++)
            {
                writer.Claim(length).Fill(Fill(n));
                writer.Commit();
            }
            writer.Flush();
            batch = batch % 25 + 1;
        }

        Assert.Empty(await consumer.WaitAsync(RingTestSupport.Generous));
    }

    [Fact]
    public void AnAbortedClaimInABatchIsSkippedAndTheNextArrivesWhole()
    {
        using var ring = RingTestSupport.Create(capacity: 64 * 1024);
        using var writer = ring.OpenWriter();
        using var reader = ring.OpenReader();

        writer.BeginBatch();
        writer.Claim(40).Fill(1);
        writer.Commit();
        writer.Claim(40).Fill(2);
        writer.Abort();
        writer.Claim(40).Fill(3);
        writer.Commit();
        writer.Flush();

        Assert.Equal([1, 3], ReadFirstBytes(reader, 40));
    }

    [Fact]
    public void NullAndEncodedItemsInABatchArriveAsWritten()
    {
        using var ring = RingTestSupport.Create(capacity: 64 * 1024);
        using var writer = ring.CreateWriter<string?>();
        using var reader = ring.CreateReader<string?>();
        string?[] items = ["head", null, "", "behind the head", new string('x', 900), null, "last"];

        writer.BeginBatch();
        foreach (var item in items)
            Assert.True(writer.TryWrite(item));
        writer.Flush();

        var read = new List<string?>();
        while (reader.TryRead(out var item))
            read.Add(item);
        Assert.Equal(items, read);
    }

    [Fact]
    public async Task ClaimsAsMemoryInABatchAreFilledAndArriveWhole()
    {
        // ClaimAsync hands out Memory: a staged claim's is the staging buffer's, not a slice of the ring.
        using var ring = RingTestSupport.Create(capacity: 64 * 1024);
        using var writer = ring.CreateWriter<byte[]>();
        using var reader = ring.CreateReader<byte[]>();

        writer.BeginBatch();
        for (var n = 0; n < 3; n++)
        {
            var memory = await writer.ClaimAsync(16);
            memory.Span.Fill(Fill(n));
            writer.Commit();
        }
        writer.Flush();

        for (var n = 0; n < 3; n++)
        {
            Assert.True(reader.TryRead(out var item));
            Assert.Equal(Enumerable.Repeat(Fill(n), 16), item);
        }
        Assert.False(reader.TryRead(out _));
    }

    [Fact]
    public void AStagedClaimCommittedAfterItsBatchWasPublishedIsPublishedInPlace()
    {
        // A flush (or a wait for room) between a staged claim and its commit publishes the batch: the claim is then
        // the first unpublished record, and its commit writes it in place and moves the reserve cursor past it.
        using var ring = RingTestSupport.Create(capacity: 64 * 1024);
        using var writer = ring.OpenWriter();
        using var reader = ring.OpenReader();
        writer.BeginBatch();
        writer.Claim(16).Fill(1);
        writer.Commit();
        var staged = writer.Claim(16);
        writer.Flush();
        staged.Fill(2);

        writer.Commit();

        Assert.Equal(2 * (16 + 16), ReadLong(ring, RingLayout.ReserveCursorOffset));
        Assert.Equal([1, 2], ReadFirstBytes(reader, 16));
        ring.ValidateShared(); // the reader is not past the reserve cursor
    }

    private static byte Fill(int n) => (byte)(n * 37 + 11);

    private static List<int> ReadFirstBytes(RingReader reader, int length)
    {
        var firsts = new List<int>();
        while (reader.TryAcquire(out var message))
        {
            Assert.Equal(length, message.Length);
            Assert.Equal(-1, message.IndexOfAnyExcept(message[0]));
            firsts.Add(message[0]);
            reader.Release();
        }
        return firsts;
    }

    /// <summary>
    /// 20,000 items through a 4 KiB ring (many laps) in batches of 1 to 40 that end with a flush, with waits for
    /// room between them; the reader on its own thread checks each item's bytes and the order.
    /// </summary>
    private static async Task AssertBatchedItemsArriveAsync<T>() where T : unmanaged
    {
        const int count = 20_000;
        using var ring = RingTestSupport.Create(capacity: 4096);
        using var writer = ring.CreateWriter<T>();
        using var reader = ring.CreateReader<T>();
        var consumer = Task.Run(async () =>
        {
            var bad = new List<string>();
            var next = 0;
            await foreach (var item in reader.ReadAllAsync())
            {
                if (!Bytes(item).SequenceEqual(Bytes(Item<T>(next))) && bad.Count < 5)
                    bad.Add($"item {next}: {Convert.ToHexString(Bytes(item))}, expected {Convert.ToHexString(Bytes(Item<T>(next)))}");
                next++;
            }
            return (next, bad);
        });
        var producer = Task.Run(async () =>
        {
            var written = 0;
            var batch = 1;
            while (written < count)
            {
                writer.BeginBatch();
                for (var k = 0; k < batch && written < count; k++)
                {
                    var item = Item<T>(written);
                    while (!writer.TryWrite(item))
                    {
                        if (!await writer.WaitToWriteAsync())
                            throw new InvalidOperationException("the ring completed under the writer");
                    }
                    written++;
                }
                writer.Flush();
                batch = batch % 40 + 1;
            }
            writer.TryComplete();
        });

        await producer.WaitAsync(RingTestSupport.Generous);
        var (read, bad) = await consumer.WaitAsync(RingTestSupport.Generous);

        Assert.Empty(bad);
        Assert.Equal(count, read);
    }

    /// <summary>Item <paramref name="n"/>: each byte a function of n and its index, none of them all zero.</summary>
    private static T Item<T>(int n) where T : unmanaged
    {
        T item = default;
        var bytes = MemoryMarshal.AsBytes(MemoryMarshal.CreateSpan(ref item, 1));
        for (var i = 0; i < bytes.Length; i++)
            bytes[i] = (byte)(n * 31 + i * 7 + 1);
        return item;
    }

    private static byte[] Bytes<T>(T item) where T : unmanaged => MemoryMarshal.AsBytes(MemoryMarshal.CreateSpan(ref item, 1)).ToArray();
}
