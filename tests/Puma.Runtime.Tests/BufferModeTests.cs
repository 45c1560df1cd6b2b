using Puma.Buffers;
using Puma.Runnables;
using Puma.Runtime.Tests.Runnables;
using static Puma.Runtime.Tests.TestSupport;

namespace Puma.Runtime.Tests;

public class BufferModeTests
{
    [Theory]
    [MemberData(nameof(Placements), MemberType = typeof(TestSupport))]
    public async Task BroadcastGivesEveryReaderEveryItem(Placement placement)
    {
        await using var runtime = NewRuntime();
        var fan = runtime.CreateBuffer<Frame>("fan", 8, BufferMode.Broadcast);
        var done = runtime.CreateBuffer<Summary>("done", 8);
        runtime.Add(new Producer { Output = fan.Writer, Count = 2000 }, placement);
        for (var i = 0; i < 3; i++)
            runtime.Add(new Collector { Name = $"reader{i}", Input = fan.AddReader(), Output = done.Writer }, placement);
        var summaries = done.Reader;
        await runtime.StartAsync();

        var all = await ReadAllAsync(summaries);
        await runtime.WaitAsync().WaitAsync(Patience);
        Assert.Equal(["reader0", "reader1", "reader2"], all.Select(s => s.Reader).Order());
        Assert.All(all, s =>
        {
            Assert.Equal(2000, s.Count);
            Assert.Equal(1999L * 2000 / 2, s.Sum);
            Assert.True(s.InOrder);
        });
    }

    [Theory]
    [MemberData(nameof(Placements), MemberType = typeof(TestSupport))]
    public async Task CompetingReadersGetEachItemExactlyOnce(Placement placement)
    {
        await using var runtime = NewRuntime();
        var work = runtime.CreateBuffer<Frame>("work", 8, BufferMode.Competing);
        var results = runtime.CreateBuffer<Frame>("results", 8);
        for (var i = 0; i < 3; i++)
            runtime.Add(new Worker { Name = $"worker{i}", Id = i, Input = work.Reader, Output = results.Writer, DelayPerItemMs = 1 }, placement);
        // The application writes (so it can wait until every worker runs): an end it holds is completed by it.
        var writer = work.Writer;
        var reader = results.Reader;
        await runtime.StartAsync();
        for (var i = 0; i < 3; i++)
            await runtime.AskAsync<int>($"worker{i}", new GetPid());

        var feeding = Task.Run(async () =>
        {
            for (var i = 0; i < 300; i++)
                await writer.WriteAsync(new Frame(i, -1));
            writer.Complete();
        });
        var frames = await ReadAllAsync(reader);
        await feeding.WaitAsync(Patience);
        await runtime.WaitAsync().WaitAsync(Patience);
        Assert.Equal(Enumerable.Range(0, 300).Select(i => (long)i), frames.Select(f => f.Seq).Order());
        // Each worker, busy 1 ms per item, took a share; results completed only when the last of them ended.
        Assert.Equal([0.0, 1.0, 2.0], frames.Select(f => f.Value).Distinct().Order());
    }

    [Theory]
    [MemberData(nameof(Placements), MemberType = typeof(TestSupport))]
    public async Task ManyWritersToOneReaderCompleteWhenTheLastWriterEnds(Placement placement)
    {
        await using var runtime = NewRuntime();
        var merged = runtime.CreateBuffer<Frame>("merged", 8);
        var done = runtime.CreateBuffer<Summary>("done", 1);
        runtime.Add(new Producer { Name = "short", Output = merged.Writer, Count = 10 }, placement);
        runtime.Add(new Producer { Name = "long", Output = merged.Writer, Count = 1000 }, placement);
        runtime.Add(new Collector { Input = merged.Reader, Output = done.Writer }, placement);
        var summaries = done.Reader;
        await runtime.StartAsync();

        var summary = await ReadOneAsync(summaries);
        Assert.Equal(1010, summary.Count);
        Assert.Equal(9L * 10 / 2 + 999L * 1000 / 2, summary.Sum);
        await runtime.WaitAsync().WaitAsync(Patience);
    }
}
