namespace Puma.Buffers.Tests.Leases;

/// <summary>In process, the runnables sharing a competing buffer's one reader end lease from it at the same time.</summary>
public class CompetingLeaseTests
{
    private const int Large = 100_000;

    [Fact]
    public async Task InProcessCompetingRunnablesLeaseFromTheSharedEndAtTheSameTime()
    {
        var buffer = new PumaBuffer<byte[]>("work", 64, BufferMode.Competing);
        var reader = buffer.Reader;
        var writer = buffer.Writer;
        buffer.OpenInProcess();
        var producer = Task.Run(async () =>
        {
            for (var n = 0; n < 2000; n++)
            {
                var memory = await writer.ClaimAsync(n % 3 == 0 ? Large : 16);
                memory.Span.Fill((byte)n);
                writer.Commit();
            }
            writer.Complete();
        });

        // Two lessees at once on the one end, each holding a lease while the other leases.
        var seen = new System.Collections.Concurrent.ConcurrentBag<(int Length, bool Uniform)>();
        async Task Lessee()
        {
            while (await reader.WaitToReadAsync())
            {
                while (reader.TryLease(out var lease))
                {
                    await Task.Yield();
                    var first = lease.Span[0];
                    seen.Add((lease.Length, !lease.Span.ContainsAnyExcept(first)));
                    lease.Dispose();
                    lease.Dispose();
                }
            }
        }
        await Task.WhenAll(producer, Task.Run(Lessee), Task.Run(Lessee)).WaitAsync(LeaseTestSupport.Generous);

        Assert.Equal(2000, seen.Count);
        Assert.All(seen, s => Assert.True(s.Uniform));
        Assert.Equal(667, seen.Count(s => s.Length == Large));
    }
}
