using Puma.Bench.Harness;

namespace Puma.Bench.Transports;

/// <summary>
/// The <c>transports</c> suite: for every case and transport, one child process receives from
/// the parent (and answers, for ping-pong), or three at once for broadcast; the medians of the repeats go in one table with the
/// ratio against the anonymous pipe.
/// </summary>
internal sealed class TransportsSuite : ISuite
{
    /// <inheritdoc/>
    public string Name => "transports";

    /// <inheritdoc/>
    public string Description => "a child process receiving from the parent: pipe, unix socket, tcp, NetMQ (ipc, tcp), puma-shm (typed, zero-copy, leased)";

    /// <inheritdoc/>
    public IReadOnlyList<Measurement> Run(CliOptions options, TextWriter output)
    {
        var settings = new CaseSettings(options.Repeats, options.Quick);
        var transports = TransportCatalog.All.Where(t => options.Includes(t.Name)).ToList();
        var cases = TransportCases.All.Where(c => options.IncludesCase(c.Name)).ToList();
        var rows = new List<Measurement>();
        foreach (var c in cases)
        {
            foreach (var t in transports)
            {
                output.Write($"  {c.Name,-9} {t.Name,-18} ");
                var started = DateTime.UtcNow;
                var result = RunOne(t, c, settings);
                rows.AddRange(result);
                output.WriteLine(string.Join("  ", result.Select(m => m.Error is null
                    ? $"{m.Metric} {ResultTable.Format(m.Value)} {m.Unit}"
                    : $"FAILED: {m.Error}")) + $"  ({(DateTime.UtcNow - started).TotalSeconds:0.0}s)");
            }
        }
        output.WriteLine();
        ResultTable.Write(output,
            $"transports: parent -> child process, median of {options.Repeats} repeats{(options.Quick ? " (--quick: short rounds)" : "")}; " +
            "pipe/unix/tcp batch writes in 64 KiB buffers and read in large chunks (their natural use), " +
            "puma-shm does one typed TryWrite/TryRead per message, puma-shm-zerocopy claims/commits and acquires/releases in the ring; " +
            "small = 64 B msgs, 64k/1m = GB/s (1e9 B/s), pingpong = 64 B round trip, idle = CPU of a blocked reader; " +
            "broadcast = 64 KiB msgs to 3 child processes at once, every child gets every message, GB/s EACH of the 3 readers receives " +
            "(per reader, not the sum; the slowest reader of each round), puma-shm* = one ring with 3 broadcast reader slots written once, " +
            "pipe/unix/tcp/netmq = one link per child, each message written to all 3",
            rows, TransportCatalog.Baseline);
        return rows;
    }

    /// <summary>
    /// Measures one case over one transport in fresh children (one per reader of the case);
    /// failures become failed measurements.
    /// </summary>
    public static IReadOnlyList<Measurement> RunOne(ITransport transport, TransportCase @case, CaseSettings settings)
    {
        var children = new List<BenchChild>();
        try
        {
            MessageFormat.Prepare(@case.MessageSize);
            using var link = IBroadcastTransport.For(transport, @case) is { } broadcast
                ? ConnectBroadcast(broadcast, @case, settings, children)
                : ConnectEach(transport, @case, settings, children);
            var samples = @case.RunParent(link, children, settings);
            return samples.Select(s => new Measurement("transports", @case.Name, transport.Name, s.Metric, s.Unit, s.Samples)).ToList();
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            var error = e is BenchChildException ? e.Message : $"{e.GetType().Name}: {e.Message}";
            if (e is not BenchChildException && ChildFailures(children) is { } reason)
                error = $"{reason}; parent: {error}";
            return @case.Metrics.Select(m => Measurement.Failed("transports", @case.Name, transport.Name, m.Metric, m.Unit, error)).ToList();
        }
        finally
        {
            foreach (var child in children) child.Dispose();
        }
    }

    /// <summary>Why the children failed (numbered when there are several), or null when none did.</summary>
    private static string? ChildFailures(IReadOnlyList<BenchChild> children)
    {
        var reasons = children
            .Select((c, i) => (Reader: i, Reason: c.FailureReason(TimeSpan.FromSeconds(2))))
            .Where(r => r.Reason is not null)
            .Select(r => children.Count == 1 ? r.Reason! : $"reader {r.Reader}: {r.Reason}")
            .ToList();
        return reasons.Count == 0 ? null : string.Join("; ", reasons);
    }

    /// <summary>
    /// One link per child (<see cref="TransportCase.Readers"/> of them), each listened for, started and
    /// accepted before the next one is created, so that no child inherits another child's pipe handles.
    /// With one reader that link is returned as is; with several, a one-way link whose writer copies
    /// every message to each link (<see cref="FanOutWriter"/>).
    /// </summary>
    private static TransportLink ConnectEach(ITransport transport, TransportCase @case, CaseSettings settings, List<BenchChild> children)
    {
        var links = new List<TransportLink>();
        try
        {
            for (var i = 0; i < @case.Readers; i++)
            {
                using var pending = transport.Listen(@case.MessageSize);
                var child = StartChild(transport, @case, settings, pending.ChildArgument);
                children.Add(child);
                pending.ChildStarted();
                links.Add(pending.Accept(TimeSpan.FromSeconds(30), child.ExitedToken));
            }
            return links.Count == 1 ? links[0] : new TransportLink(new FanOutWriter(links, @case.MessageSize), NoChannel.Instance);
        }
        catch
        {
            foreach (var link in links) link.Dispose();
            throw;
        }
    }

    /// <summary>One native broadcast (e.g. a ring with a reader slot per child): the parent writes each message once.</summary>
    private static TransportLink ConnectBroadcast(IBroadcastTransport transport, TransportCase @case, CaseSettings settings, List<BenchChild> children)
    {
        using var pending = transport.ListenBroadcast(@case.MessageSize, @case.Readers);
        for (var i = 0; i < @case.Readers; i++)
            children.Add(StartChild(transport, @case, settings, pending.ChildArgument(i)));
        return pending.Accept(children.Select(c => c.ExitedToken).ToList());
    }

    /// <summary>Starts a child for <paramref name="case"/> over <paramref name="transport"/>, killed when it outlives the case.</summary>
    private static BenchChild StartChild(ITransport transport, TransportCase @case, CaseSettings settings, string argument)
    {
        var maxLifetime = @case.MaxLifetime(settings);
        return BenchChild.Start(
            [transport.Name, @case.Name, argument, maxLifetime.TotalSeconds.ToString("0", System.Globalization.CultureInfo.InvariantCulture)],
            maxLifetime + TimeSpan.FromSeconds(5));
    }
}
