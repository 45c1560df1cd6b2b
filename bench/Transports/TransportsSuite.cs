using Puma.Bench.Harness;

namespace Puma.Bench.Transports;

/// <summary>
/// The <c>transports</c> suite: for every case and transport, one child process receives from
/// the parent (and answers, for ping-pong); the medians of the repeats go in one table with the
/// ratio against the anonymous pipe.
/// </summary>
internal sealed class TransportsSuite : ISuite
{
    /// <inheritdoc/>
    public string Name => "transports";

    /// <inheritdoc/>
    public string Description => "a child process receiving from the parent: pipe, unix socket, tcp, puma-shm, puma-shm-zerocopy";

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
            "small = 64 B msgs, 64k/1m = GB/s (1e9 B/s), pingpong = 64 B round trip, idle = CPU of a blocked reader",
            rows, TransportCatalog.Baseline);
        return rows;
    }

    /// <summary>Measures one case over one transport in a fresh child; failures become failed measurements.</summary>
    public static IReadOnlyList<Measurement> RunOne(ITransport transport, TransportCase @case, CaseSettings settings)
    {
        BenchChild? child = null;
        try
        {
            MessageFormat.Prepare(@case.MessageSize);
            TimeSpan maxLifetime = @case.MaxLifetime(settings);
            using var pending = transport.Listen(@case.MessageSize);
            child = BenchChild.Start(
                [transport.Name, @case.Name, pending.ChildArgument, maxLifetime.TotalSeconds.ToString("0", System.Globalization.CultureInfo.InvariantCulture)],
                maxLifetime + TimeSpan.FromSeconds(5));
            pending.ChildStarted();
            using var link = pending.Accept(TimeSpan.FromSeconds(30), child.ExitedToken);
            var samples = @case.RunParent(link, child, settings);
            return samples.Select(s => new Measurement("transports", @case.Name, transport.Name, s.Metric, s.Unit, s.Samples)).ToList();
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            string error = e is BenchChildException ? e.Message : $"{e.GetType().Name}: {e.Message}";
            if (e is not BenchChildException && child?.FailureReason(TimeSpan.FromSeconds(2)) is { } reason)
                error = $"{reason}; parent: {error}";
            return @case.Metrics.Select(m => Measurement.Failed("transports", @case.Name, transport.Name, m.Metric, m.Unit, error)).ToList();
        }
        finally
        {
            child?.Dispose();
        }
    }
}
