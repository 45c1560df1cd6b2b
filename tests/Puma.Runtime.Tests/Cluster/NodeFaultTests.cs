using System.Diagnostics;
using System.Threading.Channels;
using Puma.Runtime.Cluster;
using Puma.Runtime.Cluster.Node;
using Puma.Runtime.Parent;
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
            // The child's runtime keeps its diagnostics files in the node's directory (its TMPDIR).
            var nodeTemp = NodeTempDirectory.RootOf(RuntimeIpcFiles.Of(victim.Pid)!.Value);
            Assert.Equal(3, Directory.GetFiles(nodeTemp, $"*-{childPid}-*", SearchOption.AllDirectories).Length);

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
            await EventuallyAsync(() => Task.FromResult(IsGone(childPid)), $"the node's child {childPid} gone");
            await victim.DisposeAsync();
            Assert.False(Directory.Exists(nodeTemp), $"{nodeTemp} (the killed node's children's files) left behind");
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
    public async Task AProcessorThatFailsOnANodeIsRestartedAndItsBuffersGoOnFromWhereTheyWere()
    {
        var first = await cluster.StartNodeAsync("127.0.0.2", "relay");
        var second = await cluster.StartNodeAsync("127.0.0.3", "relay");
        try
        {
            var sink = new CollectingSink();
            using var dump = new Dump(sink, output);
            await using var runtime = cluster.NewRuntime(FailurePolicy.Restart(3, TimeSpan.FromMinutes(1)), sink.CreateLogger());
            var results = AddFailingRelay(runtime, producerOn: NodePlacement.WithRole("a"));
            await runtime.StartAsync();

            var frames = await ReadAllAsync(results);
            await runtime.WaitAsync().WaitAsync(Patience);

            // The first run failed at frame 500; the second (its bridges reconnected to the same places in the
            // supervisor's rings) went on to the end. What was in flight to the failed run (its node's ring, the
            // socket buffers: some thousands of frames) is lost, nothing else.
            Assert.Equal(1, runtime.GetRunnable("scale").RestartCount);
            Assert.Equal(Enumerable.Range(0, 500).Select(i => (long)i), frames.Take(500).Select(f => f.Seq));
            Assert.Equal(299_999, frames[^1].Seq);
            Assert.True(frames.Zip(frames.Skip(1)).All(p => p.First.Seq < p.Second.Seq), "frames out of order");
            Assert.All(frames, f => Assert.Equal(f.Seq * 2.0, f.Value));
            Assert.InRange(frames.Count, 150_000, 299_999);
        }
        finally
        {
            await first.DisposeAsync();
            await second.DisposeAsync();
        }
    }

    [Fact]
    public async Task WhatAFailedRunOnANodeWroteReachesItsBufferBeforeWhatItsRestartWrites()
    {
        var node = await cluster.StartNodeAsync("127.0.0.2", "relay");
        try
        {
            var sink = new CollectingSink();
            using var dump = new Dump(sink, output);
            await using var runtime = cluster.NewRuntime(FailurePolicy.Restart(3, TimeSpan.FromMinutes(1)), sink.CreateLogger());
            var results = AddFailingRelay(runtime, producerOn: null);
            await runtime.StartAsync();

            // Read the first run's frames slowly (a second or more): when it fails, early on, most of what it wrote
            // waits in its node's ring, the sockets and this ring (backpressure), and the restarted run connects while
            // it does.
            var frames = new List<Frame>();
            using var patience = new CancellationTokenSource(Patience);
            await foreach (var frame in results.ReadAllAsync(patience.Token))
            {
                frames.Add(frame);
                if (frames.Count <= 500)
                    await Task.Delay(2, patience.Token);
            }
            await runtime.WaitAsync().WaitAsync(Patience);

            // All the first run wrote (0..499), then the restart's frames in order; what was in flight to the failed
            // run (its input: its node's ring and the socket buffers, which can hold many thousand frames) is lost, nothing else.
            Assert.Equal(1, runtime.GetRunnable("scale").RestartCount);
            Assert.Equal(Enumerable.Range(0, 500).Select(i => (long)i), frames.Take(500).Select(f => f.Seq));
            Assert.True(frames.Zip(frames.Skip(1)).All(p => p.First.Seq < p.Second.Seq), "frames out of order");
            Assert.Equal(299_999, frames[^1].Seq);
            Assert.DoesNotContain(sink.Events, e => e.RenderMessage().Contains("is lost", StringComparison.Ordinal));
        }
        finally
        {
            await node.DisposeAsync();
        }
    }

    /// <summary>
    /// A producer of 300,000 frames (on <paramref name="producerOn"/>, or in a thread of the supervisor) into "raw", and
    /// "scale" on a node with the role "relay", whose first run fails at frame 500, writing into "scaled" (small rings:
    /// 4 KiB); returns the reader of "scaled".
    /// </summary>
    private static ChannelReader<Frame> AddFailingRelay(PumaRuntime runtime, NodePlacement? producerOn)
    {
        var raw = runtime.CreateBuffer<Frame>("raw", 16, capacityBytes: 4096);
        var scaled = runtime.CreateBuffer<Frame>("scaled", 16, capacityBytes: 4096);
        var producer = new Producer { Name = "producer", Output = raw.Writer, Count = 300_000 };
        if (producerOn is null)
            runtime.Add(producer);
        else
            runtime.Add(producer, producerOn);
        runtime.Add(new Scale { Name = "scale", Input = raw.Reader, Output = scaled.Writer, Gain = 2, FailAt = 500, FailRuns = 1 }, NodePlacement.WithRole("relay"));
        return scaled.Reader;
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

    /// <summary>True when the process does not exist or is a zombie (dead, not yet reaped by whoever adopted it).</summary>
    private static bool IsGone(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            return stat[(stat.LastIndexOf(')') + 2)..].StartsWith('Z');
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException or IOException)
        {
            return true;
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
