using System.Diagnostics;
using Puma.Runtime.Cluster;
using Puma.Runtime.Tests.Runnables;
using Xunit.Abstractions;
using static Puma.Runtime.Tests.TestSupport;

namespace Puma.Runtime.Tests.Cluster;

/// <summary>kill -9 of a node agent: its runnables fail with the node's address, their children die, a restart moves them.</summary>
[Collection(ClusterCollection.Name)]
public sealed class NodeFaultTests(ClusterFixture cluster, ITestOutputHelper output)
{
    [Fact]
    public async Task KillingANodeFailsItsRunnablesWithTheNodesAddressAndLeavesNoChildBehind()
    {
        var victim = await cluster.StartNodeAsync("127.0.0.2", "victim");
        try
        {
            await using var runtime = cluster.NewRuntime();
            runtime.Add(new Sentinel { Name = "doomed" }, NodePlacement.WithRole("victim"));
            await runtime.StartAsync();
            var childPid = await runtime.AskAsync<int>("doomed", new GetPid());

            var watch = Stopwatch.StartNew();
            victim.Kill();
            var failure = await Assert.ThrowsAsync<RunnableFailedException>(() => runtime.WaitAsync().WaitAsync(Patience));
            output.WriteLine($"kill -9 of the node -> runnable failed in {watch.ElapsedMilliseconds} ms");

            Assert.Equal("doomed", failure.RunnableName);
            var lost = Assert.IsType<NodeLostException>(failure.InnerException);
            Assert.Equal(victim.Address, lost.Node);
            Assert.Equal("doomed", lost.RunnableName);
            Assert.Equal(childPid, lost.ProcessId);
            Assert.Contains(victim.Address, lost.Message);
            // Documented bound: 2 s with the default failure detection; the margin is for a loaded CI machine.
            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(6), $"detected after {watch.Elapsed}");
            await EventuallyAsync(() => Task.FromResult(!Directory.Exists($"/proc/{childPid}")), $"the node's child {childPid} gone");
        }
        finally
        {
            await victim.DisposeAsync();
        }
    }

    [Fact]
    public async Task ARestartPlacesTheRunnableAgainOnAnotherNodeWithTheRole()
    {
        var first = await cluster.StartNodeAsync("127.0.0.2", "movable");
        var second = await cluster.StartNodeAsync("127.0.0.3", "movable");
        try
        {
            var sink = new CollectingSink();
            await using var runtime = cluster.NewRuntime(FailurePolicy.Restart(3, TimeSpan.FromMinutes(1)), sink.CreateLogger());
            using var dump = new Dump(sink, output);
            runtime.Add(new Sentinel { Name = "mover" }, NodePlacement.WithRole("movable"));
            await runtime.StartAsync();
            var firstPid = await runtime.AskAsync<int>("mover", new GetPid());
            var before = runtime.GetRunnable("mover");
            Assert.Equal(firstPid, before.ProcessId);
            Assert.Contains(before.Node, new[] { first.Address, second.Address });
            var victim = before.Node == first.Address ? first : second;
            var survivor = victim == first ? second : first;

            victim.Kill();
            await EventuallyAsync(() => Task.FromResult(runtime.GetRunnable("mover") is { RestartCount: 1, State: RunnableState.Running }), "the runnable restarted");
            var pid = await runtime.AskAsync<int>("mover", new GetPid());
            var after = runtime.GetRunnable("mover");

            Assert.Equal(survivor.Address, after.Node);
            Assert.Equal(pid, after.ProcessId);
            Assert.NotEqual(before.ProcessId, pid);
            await runtime.StopAsync();
        }
        finally
        {
            await first.DisposeAsync();
            await second.DisposeAsync();
        }
    }

    [Fact]
    public async Task AProducerOnAKilledNodeFailsItsReaderDownstreamAsAConsequence()
    {
        var victim = await cluster.StartNodeAsync("127.0.0.2", "producer-host");
        try
        {
            await using var runtime = cluster.NewRuntime();
            var raw = runtime.CreateBuffer<Frame>("raw", 16);
            runtime.Add(new Producer { Name = "endless", Output = raw.Writer, Endless = true }, NodePlacement.WithRole("producer-host"));
            var results = raw.Reader;
            await runtime.StartAsync();
            await ReadOneAsync(results);

            victim.Kill();
            var failure = await Assert.ThrowsAsync<RunnableFailedException>(() => runtime.WaitAsync().WaitAsync(Patience));

            Assert.Equal("endless", failure.RunnableName);
            Assert.IsType<NodeLostException>(failure.InnerException);
            var error = await Assert.ThrowsAnyAsync<Exception>(async () =>
            {
                await foreach (var _ in results.ReadAllAsync(new CancellationTokenSource(Patience).Token))
                {
                }
            });
            Assert.Contains(victim.Address, error.Message);
        }
        finally
        {
            await victim.DisposeAsync();
        }
    }

    private sealed class Dump(CollectingSink sink, ITestOutputHelper output) : IDisposable
    {
        public void Dispose()
        {
            foreach (var e in sink.Events)
                output.WriteLine($"{e.Timestamp:HH:mm:ss.fff} {e.Level} {e.RenderMessage()} {e.Exception?.Message}");
        }
    }
}
