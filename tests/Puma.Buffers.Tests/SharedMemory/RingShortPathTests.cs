using Puma.Buffers.SharedMemory;

namespace Puma.Buffers.Tests.SharedMemory;

/// <summary>The ring ends' short paths under two threads (see buffers/SharedMemory/README.md, "The hot paths").</summary>
public sealed class RingShortPathTests
{
    /// <summary>A writer thread and a reader thread on a power-of-two ring (the short paths, across cores): every byte arrives.</summary>
    [Theory]
    [InlineData(256)]
    [InlineData(4096)]
    public async Task TwoThreadsMoveEveryByteThroughTheShortPaths(long capacity)
    {
        const int Count = 200_000;
        using var ring = RingTestSupport.Create(capacity: capacity);
        using var writer = ring.OpenWriter();
        using var reader = ring.OpenReader();
        var maxSize = Math.Min(ring.MaxMessageBytes, 60);
        var consumer = Task.Run(() =>
        {
            for (var i = 0; i < Count; i++)
            {
                ReadOnlySpan<byte> message;
                while (!reader.TryAcquire(out message))
                    Assert.True(reader.WaitToRead(), $"completed before message {i}");
                Assert.Equal(i % (maxSize + 1), message.Length);
                for (var b = 0; b < message.Length; b++)
                {
                    if (message[b] != (byte)(i + b))
                        Assert.Fail($"message {i} byte {b}: {message[b]} instead of {(byte)(i + b)}");
                }
                reader.Release();
            }
        });
        writer.BeginBatch();
        for (var i = 0; i < Count; i++)
        {
            var span = writer.Claim(i % (maxSize + 1));
            for (var b = 0; b < span.Length; b++)
                span[b] = (byte)(i + b);
            writer.Commit();
            if (i % 100 == 0)
                writer.Flush();
        }
        writer.Flush();
        await consumer.WaitAsync(RingTestSupport.Generous);
    }
}
