using Puma.Runnables;
using Puma.Runtime.Tests.Runnables;
using static Puma.Runtime.Tests.TestSupport;

namespace Puma.Runtime.Tests;

/// <summary>Pooled items (IMemoryOwner of bytes) that a reader keeps past its handler, in every placement.</summary>
public class PooledItemTests
{
    [Theory]
    [MemberData(nameof(Placements), MemberType = typeof(TestSupport))]
    public async Task MemoryOwnersKeptPastTheHandlerRoundTripInEveryPlacement(Placement placement)
    {
        await using var runtime = NewRuntime();
        var pooled = runtime.CreateBuffer<System.Buffers.IMemoryOwner<byte>>("pooled", 16, capacityBytes: 64 * 1024);
        var summaries = runtime.CreateBuffer<Summary>("summaries", 4);
        runtime.Add(new OwnerProducer { Output = pooled.Writer, Count = 400, Size = 700 }, placement);
        runtime.Add(new OwnerKeeper { Name = "keeper", Input = pooled.Reader, Output = summaries.Writer, Size = 700 }, placement);
        var results = summaries.Reader;
        await runtime.StartAsync();

        var summary = Assert.Single(await ReadAllAsync(results));
        await runtime.WaitAsync().WaitAsync(Patience);

        Assert.Equal(new Summary("keeper", 400, 400L * 399 / 2, true), summary);
    }
}
