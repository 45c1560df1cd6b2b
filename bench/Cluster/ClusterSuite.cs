using System.Buffers.Binary;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Akka.Actor;
using Puma.Bench.Harness;
using Puma.Runtime;
using Puma.Runtime.Cluster;

namespace Puma.Bench.Cluster;

/// <summary>
/// The <c>cluster</c> suite: runnables on node agents (local processes on 127.0.0.2 and 127.0.0.3, the supervisor on
/// 127.0.0.1). <c>64b</c> and <c>64k</c>: one buffer across the network, items of 64 B and 64 KiB —
/// <c>puma-node</c> from a producer on node A to a reader in the supervisor, <c>puma-node-to-node</c> from node A to a
/// counter on node B (through the supervisor, where the buffer's ring lives), <c>raw-tcp</c> the same items as
/// length-prefixed records in 64 KiB writes over one socket from node A to the supervisor, in the same run.
/// Throughput is the steady state: the time from the first quarter of a stream to its end (the fresh child
/// processes compile their code as the stream starts), the same rule for every transport.
/// <c>join-placement</c>: from starting a node agent process to the first reply of a runnable placed on it.
/// <c>kill-detect</c>: from kill -9 of a node agent to <c>WaitAsync</c> failing with <see cref="NodeLostException"/>,
/// with the default and the fast failure detection.
/// </summary>
internal sealed class ClusterSuite : ISuite
{
    private const string SuiteName = "cluster";

    /// <inheritdoc/>
    public string Name => SuiteName;

    /// <inheritdoc/>
    public string Description => "runnables on node agents: a buffer across nodes (64 B, 64 KiB) vs raw TCP, node join + placement, kill -9 detection (default, fast)";

    /// <inheritdoc/>
    public IReadOnlyList<Measurement> Run(CliOptions options, TextWriter output)
    {
        var repeats = Math.Max(options.Repeats, options.Quick ? 3 : 5);
        var rows = new List<Measurement>();
        var cases = new SuiteCases(SuiteName, output, 18);
        if (options.IncludesCase("64b") || options.IncludesCase("64k"))
            rows.AddRange(Streams(options, cases, repeats));
        if (options.IncludesCase("join-placement"))
            rows.Add(cases.Measure("join-placement", "puma-node", "time", "ms", repeats, JoinAndPlace));
        foreach ((var name, var detection) in new[] { ("default", ClusterFailureDetection.Default), ("fast", ClusterFailureDetection.Fast) })
        {
            if (options.IncludesCase("kill-detect") && options.Includes($"puma-{name}"))
                rows.Add(cases.Measure("kill-detect", $"puma-{name}", "time", "ms", repeats, () => KillDetect(detection)));
        }

        output.WriteLine();
        ResultTable.Write(output, $"cluster: runnables on node agents, median of {repeats} (after one warm-up)", rows, "raw-tcp");
        return rows;
    }

    private static IEnumerable<Measurement> Streams(CliOptions options, SuiteCases cases, int repeats)
    {
        var rows = new List<Measurement>();
        var system = PumaCluster.CreateActorSystem(new PumaClusterOptions());
        PumaNodeProcess? a = null, b = null;
        try
        {
            using (var up = new CancellationTokenSource(TimeSpan.FromSeconds(30)))
                PumaCluster.WhenUpAsync(system, up.Token).GetAwaiter().GetResult();
            var seed = Akka.Cluster.Cluster.Get(system).SelfAddress.ToString();
            a = StartNode(seed, "127.0.0.2", "a");
            b = StartNode(seed, "127.0.0.3", "b");
            foreach ((var caseName, var itemBytes) in new[] { ("64b", 64), ("64k", 64 * 1024) })
            {
                if (!options.IncludesCase(caseName))
                    continue;
                var count = itemBytes == 64 ? (options.Quick ? 1_000_000L : 10_000_000L) : (options.Quick ? 4_000L : 48_000L); // long enough (seconds) that the fresh child processes' JIT is a small part
                var (metric, unit, scale) = itemBytes == 64 ? ("throughput", "M items/s", 1e-6) : ("throughput", "GB/s", itemBytes / 1e9);
                if (options.Includes("puma-node"))
                    rows.Add(cases.Measure(caseName, "puma-node", metric, unit, repeats, () => scale * ToSupervisor(system, count, itemBytes)));
                if (options.Includes("puma-node-to-node"))
                    rows.Add(cases.Measure(caseName, "puma-node-to-node", metric, unit, repeats, () => scale * NodeToNode(system, count, itemBytes)));
                if (options.Includes("raw-tcp"))
                    rows.Add(cases.Measure(caseName, "raw-tcp", metric, unit, repeats, () => scale * RawTcp(system, count, itemBytes)));
            }
        }
        finally
        {
            b?.DisposeAsync().AsTask().GetAwaiter().GetResult();
            a?.DisposeAsync().AsTask().GetAwaiter().GetResult();
            system.Terminate().Wait(TimeSpan.FromSeconds(10));
        }

        return rows;
    }

    private static PumaNodeProcess StartNode(string seed, string host, params string[] roles)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        return PumaNodeProcess.StartAsync(new PumaClusterOptions { Hostname = host, SeedNodes = [seed], Roles = roles }, timeout.Token).GetAwaiter().GetResult();
    }

    private static PumaRuntime NewRuntime(ActorSystem system) => new(new PumaOptions { ActorSystem = system, Logger = Serilog.Core.Logger.None });

    private static long RingBytes(int itemBytes) => itemBytes <= 64 ? 4L << 20 : 32L << 20;

    /// <summary>Items per second from a producer on node A to a reader in the supervisor.</summary>
    private static double ToSupervisor(ActorSystem system, long count, int itemBytes)
    {
        var runtime = NewRuntime(system);
        try
        {
            var items = runtime.CreateBuffer<byte[]>("items", 65_536, capacityBytes: RingBytes(itemBytes));
            runtime.Add(new ItemProducer { Name = "producer", Output = items.Writer, Count = count, ItemBytes = itemBytes }, NodePlacement.WithRole("a"));
            var reader = items.Reader;
            runtime.StartAsync().GetAwaiter().GetResult();
            var seconds = Task.Run(async () =>
            {
                long read = 0, first = 0;
                var warmUp = count / 4;
                using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
                while (await reader.WaitToReadAsync(timeout.Token))
                {
                    while (reader.TryRead(out var item))
                    {
                        if (read == warmUp)
                            first = Stopwatch.GetTimestamp();
                        if (BinaryPrimitives.ReadInt64LittleEndian(item) != read)
                            throw new InvalidOperationException($"item {read} arrived out of order");
                        read++;
                    }
                }

                if (read != count)
                    throw new InvalidOperationException($"{read} of {count} items arrived");
                return Stopwatch.GetElapsedTime(first).TotalSeconds;
            }).GetAwaiter().GetResult();
            runtime.WaitAsync().WaitAsync(TimeSpan.FromSeconds(30)).GetAwaiter().GetResult();
            return (count - count / 4) / seconds;
        }
        finally
        {
            runtime.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }
    }

    /// <summary>Items per second from a producer on node A to a counter on node B.</summary>
    private static double NodeToNode(ActorSystem system, long count, int itemBytes)
    {
        var runtime = NewRuntime(system);
        try
        {
            var items = runtime.CreateBuffer<byte[]>("items", 65_536, capacityBytes: RingBytes(itemBytes));
            runtime.Add(new ItemProducer { Name = "producer", Output = items.Writer, Count = count, ItemBytes = itemBytes }, NodePlacement.WithRole("a"));
            runtime.Add(new ItemCounter { Name = "counter", Input = items.Reader, WarmUpItems = count / 4 }, NodePlacement.WithRole("b"));
            runtime.StartAsync().GetAwaiter().GetResult();
            CountReport? report = null;
            using (var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2)))
            {
                Task.Run(async () =>
                {
                    await foreach (var status in runtime.Status.ReadAllAsync(timeout.Token))
                    {
                        if (status.Value is CountReport counted)
                        {
                            report = counted;
                            return;
                        }
                    }
                }).GetAwaiter().GetResult();
            }

            runtime.WaitAsync().WaitAsync(TimeSpan.FromSeconds(30)).GetAwaiter().GetResult();
            if (report is not { InOrder: true } || report.Items != count)
                throw new InvalidOperationException($"the counter saw {report?.Items} of {count} items, in order: {report?.InOrder}");
            return (count - count / 4) / report.Seconds;
        }
        finally
        {
            runtime.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }
    }

    /// <summary>Items per second of the same records over one raw socket from node A (a runnable there) to the supervisor.</summary>
    private static double RawTcp(ActorSystem system, long count, int itemBytes)
    {
        using var listener = new Socket(SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen(1);
        var runtime = NewRuntime(system);
        try
        {
            runtime.Add(new RawTcpSender { Name = "sender", Host = "127.0.0.1", Port = ((IPEndPoint)listener.LocalEndPoint!).Port, Count = count, ItemBytes = itemBytes }, NodePlacement.WithRole("a"));
            runtime.StartAsync().GetAwaiter().GetResult();
            using var connection = listener.Accept();
            var buffer = new byte[1 << 20];
            long received = 0, first = 0, timedFrom = 0;
            var warmUp = count / 4 * (4L + itemBytes);
            int n;
            while ((n = connection.Receive(buffer)) > 0)
            {
                if (received < warmUp && received + n >= warmUp)
                {
                    first = Stopwatch.GetTimestamp();
                    timedFrom = received + n;
                }
                received += n;
            }

            var seconds = Stopwatch.GetElapsedTime(first).TotalSeconds;
            runtime.WaitAsync().WaitAsync(TimeSpan.FromSeconds(30)).GetAwaiter().GetResult();
            if (received != count * (4L + itemBytes))
                throw new InvalidOperationException($"{received} of {count * (4L + itemBytes)} bytes arrived");
            return (received - timedFrom) / (4.0 + itemBytes) / seconds;
        }
        finally
        {
            runtime.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }
    }

    /// <summary>From starting a node agent process to the first reply of a runnable placed on it.</summary>
    private static double JoinAndPlace()
    {
        var runtime = new PumaRuntime(new PumaOptions { Cluster = new PumaClusterOptions(), Logger = Serilog.Core.Logger.None });
        PumaNodeProcess? node = null;
        try
        {
            runtime.Add(new NodeEcho { Name = "echo" }, NodePlacement.WithRole("fresh"));
            var t0 = Stopwatch.GetTimestamp();
            var starting = PumaNodeProcess.StartAsync(new PumaClusterOptions { Hostname = "127.0.0.2", SeedNodes = [runtime.ClusterAddress!], Roles = ["fresh"] });
            runtime.StartAsync().GetAwaiter().GetResult();
            runtime.AskAsync<int>("echo", new WhereAreYou()).GetAwaiter().GetResult();
            var ms = Stopwatch.GetElapsedTime(t0).TotalMilliseconds;
            node = starting.GetAwaiter().GetResult();
            return ms;
        }
        finally
        {
            runtime.DisposeAsync().AsTask().GetAwaiter().GetResult();
            node?.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }
    }

    /// <summary>From kill -9 of a node agent to WaitAsync failing with NodeLostException.</summary>
    private static double KillDetect(ClusterFailureDetection detection)
    {
        var runtime = new PumaRuntime(new PumaOptions { Cluster = new PumaClusterOptions { FailureDetection = detection }, Logger = Serilog.Core.Logger.None });
        PumaNodeProcess? node = null;
        try
        {
            node = PumaNodeProcess.StartAsync(new PumaClusterOptions { Hostname = "127.0.0.2", SeedNodes = [runtime.ClusterAddress!], Roles = ["victim"], FailureDetection = detection })
                .GetAwaiter().GetResult();
            runtime.Add(new NodeEcho { Name = "victim" }, NodePlacement.WithRole("victim"));
            runtime.StartAsync().GetAwaiter().GetResult();
            runtime.AskAsync<int>("victim", new WhereAreYou()).GetAwaiter().GetResult();
            Thread.Sleep(1000); // a few heartbeats, so the detector has a history as it would in a running pipeline
            var wait = runtime.WaitAsync();
            var t0 = Stopwatch.GetTimestamp();
            node.Kill();
            try
            {
                wait.WaitAsync(TimeSpan.FromSeconds(30)).GetAwaiter().GetResult();
            }
            catch (RunnableFailedException e) when (e.InnerException is NodeLostException)
            {
                return Stopwatch.GetElapsedTime(t0).TotalMilliseconds;
            }

            throw new InvalidOperationException("WaitAsync did not report the lost node");
        }
        finally
        {
            runtime.DisposeAsync().AsTask().GetAwaiter().GetResult();
            node?.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }
    }
}
