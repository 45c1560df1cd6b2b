using Puma.Runnables;
using Puma.Runtime.Tests.Runnables;
using static Puma.Runtime.Tests.TestSupport;

namespace Puma.Runtime.Tests;

/// <summary>A producer that batches its writes in <c>RunAsync</c> delivers every item once, in order, in every placement.</summary>
public class WriteBatchPipelineTests
{
    [Theory]
    [MemberData(nameof(Placements), MemberType = typeof(TestSupport))]
    public async Task ABatchingProducerDeliversEveryItemInOrder(Placement placement)
    {
        await using var runtime = NewRuntime();
        var items = runtime.CreateBuffer<long>("items", 64, capacityBytes: 4096); // smaller than the stream: batches publish early and wait
        runtime.Add(new BatchingProducer { Name = "producer", Output = items.Writer, Count = 20_000 }, placement);
        var reader = items.Reader;
        await runtime.StartAsync();

        var received = await ReadAllAsync(reader);

        await runtime.WaitAsync().WaitAsync(Patience);
        Assert.Equal(Enumerable.Range(0, 20_000).Select(i => (long)i), received);
    }
}
