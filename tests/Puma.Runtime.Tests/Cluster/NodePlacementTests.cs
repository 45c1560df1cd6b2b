using Puma.Runnables;
using Puma.Runtime.Cluster;
using Puma.Runtime.Tests.Runnables;
using static Puma.Runtime.Tests.TestSupport;

namespace Puma.Runtime.Tests.Cluster;

/// <summary>Runnables on three nodes (separate processes on 127.0.0.1/2/3): the same behaviour as in a process.</summary>
[Collection(ClusterCollection.Name)]
public sealed class NodePlacementTests(ClusterFixture cluster)
{
    [Fact]
    public async Task APipelineAcrossThreeNodesDeliversEverythingInOrder()
    {
        await using var runtime = cluster.NewRuntime();
        var raw = runtime.CreateBuffer<Frame>("raw", 64);
        var scaled = runtime.CreateBuffer<Frame>("scaled", 64);
        var summaries = runtime.CreateBuffer<Summary>("summaries", 4);
        runtime.Add(new Producer { Name = "producer", Output = raw.Writer, Count = 20_000 }, NodePlacement.WithRole("a"));
        runtime.Add(new Scale { Name = "scale", Input = raw.Reader, Output = scaled.Writer, Gain = 3 }, NodePlacement.WithRole("b"));
        runtime.Add(new Collector { Name = "collector", Input = scaled.Reader, Output = summaries.Writer }, NodePlacement.WithRole("c"));
        var results = summaries.Reader;
        await runtime.StartAsync();

        var summary = Assert.Single(await ReadAllAsync(results));
        await runtime.WaitAsync().WaitAsync(Patience);

        Assert.Equal(new Summary("collector", 20_000, 20_000L * 19_999 / 2, InOrder: true), summary);
        Assert.Equal(cluster.Nodes[0].Address, runtime.GetRunnable("producer").Node);
        Assert.Equal(cluster.Nodes[1].Address, runtime.GetRunnable("scale").Node);
        Assert.Equal(cluster.Nodes[2].Address, runtime.GetRunnable("collector").Node);
        Assert.All(runtime.Runnables, r => Assert.Equal(Placement.Node, r.Placement));
        Assert.All(runtime.Runnables, r => Assert.Equal(RunnableState.Completed, r.State));
    }

    [Fact]
    public async Task ValuesAreTransformedOnTheWayAndCompletionReachesTheSupervisor()
    {
        await using var runtime = cluster.NewRuntime();
        var raw = runtime.CreateBuffer<Frame>("raw", 16);
        var scaled = runtime.CreateBuffer<Frame>("scaled", 16);
        runtime.Add(new Producer { Output = raw.Writer, Count = 3000 }, NodePlacement.WithRole("a"));
        runtime.Add(new Scale { Input = raw.Reader, Output = scaled.Writer, Gain = 3 }, NodePlacement.WithRole("b"));
        var results = scaled.Reader;
        await runtime.StartAsync();

        var frames = await ReadAllAsync(results);
        await runtime.WaitAsync().WaitAsync(Patience);

        Assert.Equal(Enumerable.Range(0, 3000).Select(i => (long)i), frames.Select(f => f.Seq));
        Assert.All(frames, f => Assert.Equal(f.Seq * 3.0, f.Value));
    }

    [Fact]
    public async Task CommandsRequestsAndStatusCrossNodes()
    {
        await using var runtime = cluster.NewRuntime();
        var input = runtime.CreateBuffer<Frame>("in", 4);
        var output = runtime.CreateBuffer<Frame>("out", 4);
        runtime.Add(new Scale { Name = "scale", Input = input.Reader, Output = output.Writer, Gain = 2 }, NodePlacement.WithRole("b"));
        runtime.Add(new Sentinel { Name = "sentinel", IntervalMs = 20 }, NodePlacement.WithRole("c"));
        var writer = input.Writer;
        var reader = output.Reader;
        await runtime.StartAsync();

        await writer.WriteAsync(new Frame(0, 1));
        Assert.Equal(2.0, (await ReadOneAsync(reader)).Value);
        await runtime.SendAsync("scale", new SetGain(10));
        Assert.Equal(10.0, await runtime.AskAsync<double>("scale", new GetState("gain")));
        await writer.WriteAsync(new Frame(1, 1));
        Assert.Equal(10.0, (await ReadOneAsync(reader)).Value);

        var pid = await runtime.AskAsync<int>("sentinel", new GetPid());
        var info = runtime.GetRunnable("sentinel");
        Assert.Equal(pid, info.ProcessId);
        Assert.Equal(cluster.Nodes[2].Address, info.Node);
        Assert.NotEqual(cluster.Nodes[2].Pid, pid); // a child of the agent, not the agent
        using var statusWait = new CancellationTokenSource(Patience);
        var report = await runtime.Status.ReadAllAsync(statusWait.Token).FirstAsync(r => r.Runnable == "sentinel", statusWait.Token);
        Assert.Equal(pid, report.ProcessId);
        Assert.Equal(pid, (int)report.Value);

        writer.Complete();
        await runtime.StopAsync();
    }

    [Fact]
    public async Task CompletionWithAnErrorCrossesNodes()
    {
        await using var runtime = cluster.NewRuntime();
        var raw = runtime.CreateBuffer<Frame>("raw", 8);
        var scaled = runtime.CreateBuffer<Frame>("scaled", 64);
        runtime.Add(new Producer { Output = raw.Writer, Count = 100 }, NodePlacement.WithRole("a"));
        runtime.Add(new Scale { Name = "scaler", Input = raw.Reader, Output = scaled.Writer, FailAt = 10 }, NodePlacement.WithRole("b"));
        var results = scaled.Reader;
        await runtime.StartAsync();

        var failure = await Assert.ThrowsAsync<RunnableFailedException>(() => runtime.WaitAsync().WaitAsync(Patience));
        Assert.Equal("scaler", failure.RunnableName);
        Assert.Equal(Placement.Node, failure.Placement);
        Assert.Contains("scale failed at frame 10", failure.InnerException!.Message);

        var drained = new List<Frame>();
        var error = await Assert.ThrowsAnyAsync<Exception>(async () =>
        {
            await foreach (var f in results.ReadAllAsync(new CancellationTokenSource(Patience).Token))
                drained.Add(f);
        });
        Assert.Equal(Enumerable.Range(0, 10).Select(i => (long)i), drained.Select(f => f.Seq));
        Assert.Contains("scale failed at frame 10", error.Message);
    }

    [Fact]
    public async Task EventsFromANodeArriveTaggedWithNodeRunnableAndProcessId()
    {
        var sink = new CollectingSink();
        await using var runtime = cluster.NewRuntime(logger: sink.CreateLogger());
        runtime.Add(new Chatty { Name = "chatty" }, NodePlacement.WithRole("a"));
        await runtime.StartAsync();
        var pid = await runtime.AskAsync<int>("chatty", new GetState("pid"));

        await runtime.SendAsync("chatty", new Print("hello from a node"));
        await EventuallyAsync(() => Task.FromResult(sink.Events.Any(e => e.Properties.TryGetValue("Line", out var line) && line.ToString().Contains("stderr: hello from a node"))), "the child's stderr line");
        var logged = sink.Events.First(e => e.Properties.TryGetValue("Line", out var line) && line.ToString().Contains("stderr: hello from a node"));

        Assert.Equal("\"chatty\"", logged.Properties["Runnable"].ToString());
        Assert.Equal(pid.ToString(System.Globalization.CultureInfo.InvariantCulture), logged.Properties["ProcessId"].ToString());
        Assert.Equal($"\"{cluster.Nodes[0].Address}\"", logged.Properties["Node"].ToString());
        await runtime.StopAsync();
    }

    [Fact]
    public async Task BroadcastGivesReadersOnThreeNodesEveryItem()
    {
        await using var runtime = cluster.NewRuntime();
        var fan = runtime.CreateBuffer<Frame>("fan", 8, Puma.Buffers.BufferMode.Broadcast);
        var done = runtime.CreateBuffer<Summary>("done", 8);
        runtime.Add(new Producer { Output = fan.Writer, Count = 2000 }, NodePlacement.WithRole("a"));
        foreach (var role in new[] { "a", "b", "c" })
            runtime.Add(new Collector { Name = $"reader-{role}", Input = fan.AddReader(), Output = done.Writer }, NodePlacement.WithRole(role));
        var summaries = done.Reader;
        await runtime.StartAsync();

        var all = await ReadAllAsync(summaries);
        await runtime.WaitAsync().WaitAsync(Patience);

        Assert.Equal(["reader-a", "reader-b", "reader-c"], all.Select(s => s.Reader).Order());
        Assert.All(all, s => Assert.Equal(new Summary(s.Reader, 2000, 1999L * 2000 / 2, InOrder: true), s));
    }

    [Fact]
    public async Task CompetingReadersOnThreeNodesGetEachItemExactlyOnce()
    {
        await using var runtime = cluster.NewRuntime();
        var work = runtime.CreateBuffer<Frame>("work", 8, Puma.Buffers.BufferMode.Competing);
        var results = runtime.CreateBuffer<Frame>("results", 8);
        var roles = new[] { "a", "b", "c" };
        for (var i = 0; i < roles.Length; i++)
            runtime.Add(new Worker { Name = $"worker-{roles[i]}", Id = i, Input = work.Reader, Output = results.Writer }, NodePlacement.WithRole(roles[i]));
        var writer = work.Writer;
        var reader = results.Reader;
        await runtime.StartAsync();

        var feeding = Task.Run(async () =>
        {
            for (var i = 0; i < 3000; i++)
                await writer.WriteAsync(new Frame(i, -1));
            writer.Complete();
        });
        var frames = await ReadAllAsync(reader);
        await feeding.WaitAsync(Patience);
        await runtime.WaitAsync().WaitAsync(Patience);

        Assert.Equal(Enumerable.Range(0, 3000).Select(i => (long)i), frames.Select(f => f.Seq).Order());
    }

    [Fact]
    public async Task WritersOnTwoNodesMergeIntoOneReaderThatCompletesWhenTheLastEnds()
    {
        await using var runtime = cluster.NewRuntime();
        var merged = runtime.CreateBuffer<Frame>("merged", 8);
        var done = runtime.CreateBuffer<Summary>("done", 1);
        runtime.Add(new Producer { Name = "short", Output = merged.Writer, Count = 10 }, NodePlacement.WithRole("a"));
        runtime.Add(new Producer { Name = "long", Output = merged.Writer, Count = 1000 }, NodePlacement.WithRole("b"));
        runtime.Add(new Collector { Name = "merger", Input = merged.Reader, Output = done.Writer }, NodePlacement.WithRole("c"));
        var summaries = done.Reader;
        await runtime.StartAsync();

        var summary = await ReadOneAsync(summaries);
        await runtime.WaitAsync().WaitAsync(Patience);

        Assert.Equal(1010, summary.Count);
        Assert.Equal(9L * 10 / 2 + 999L * 1000 / 2, summary.Sum);
    }

    [Fact]
    public async Task AReaderThatDoesNotReadHoldsBackAWriterOnAnotherNodeAndLosesNothing()
    {
        const int count = 300_000;
        await using var runtime = cluster.NewRuntime();
        var raw = runtime.CreateBuffer<Frame>("raw", 8, capacityBytes: 4096);
        runtime.Add(new Producer { Name = "flood", Output = raw.Writer, Count = count }, NodePlacement.WithRole("a"));
        var reader = raw.Reader;
        await runtime.StartAsync();
        Assert.Equal(0, (await ReadOneAsync(reader)).Seq);

        // Nothing reads: the supervisor's ring fills, its bridge stops reading the socket, TCP's window fills, the
        // node's bridge stops reading its ring, the node's ring fills, and the producer waits (some MB of frames
        // do not fit in two 4 KiB rings and the sockets' buffers).
        await Task.Delay(2000);
        Assert.Equal(RunnableState.Running, runtime.GetRunnable("flood").State);

        var frames = await ReadAllAsync(reader, TimeSpan.FromSeconds(60));
        await runtime.WaitAsync().WaitAsync(Patience);
        Assert.Equal(count - 1, frames.Count);
        Assert.True(frames.Select((f, i) => f.Seq == i + 1).All(same => same), "frames lost or out of order");
    }

    [Fact]
    public async Task APlacementOnANodeWithoutAClusterIsAValidationProblem()
    {
        await using var runtime = NewRuntime();
        runtime.Add(new Sentinel { Name = "lonely" }, NodePlacement.WithRole("gpu"));

        var error = await Assert.ThrowsAsync<PumaValidationException>(() => runtime.StartAsync());

        Assert.Contains("Runnable 'lonely' is placed on a node with role 'gpu', but the runtime has no cluster", error.Message);
    }
}
