using System.Globalization;
using Puma.Bench.Harness;

namespace Puma.Bench.PerfTest;

/// <summary>
/// The <c>perf-test</c> suite: a load generator for one Puma shared-memory ring in broadcast,
/// with the parameters of bslatkin's ringbuffer perf test. The writer is this process, each
/// reader its own child process; lossless (the writer waits for the slowest reader). With
/// scenario options it runs that one scenario; without, the five standard scenarios and the two
/// ceiling scenarios (10 s each, 2 s with --quick). Each scenario runs once (--repeats is not used).
/// </summary>
internal sealed class PerfTestSuite : IConfigurableSuite
{
    private const string SuiteName = "perf-test";
    private PerfTestScenario? _scenario;
    private double? _duration;

    /// <inheritdoc/>
    public string Name => SuiteName;

    /// <inheritdoc/>
    public string Description => "one shared-memory ring, paced writer, N broadcast reader processes (bslatkin ringbuffer perf test); --slot-bytes --slots --duration-seconds --writes-per-second --readers --reader-burn-cpu-milliseconds --[no-]verify";

    /// <inheritdoc/>
    public void Configure(IReadOnlyList<string> arguments) => _scenario = PerfTestScenario.Parse(arguments, out _duration);

    /// <inheritdoc/>
    public IReadOnlyList<Measurement> Run(CliOptions options, TextWriter output)
    {
        var scenarios = _scenario is not null ? [_scenario] : PerfTestScenario.Standard(_duration ?? (options.Quick ? 2 : 10));
        var all = new List<Measurement>();
        foreach (var s in scenarios)
        {
            if (!options.IncludesCase(s.Name)) continue;
            output.WriteLine($"  {s.Name}: {s.Label}  ({s.CommandLine})");
            output.Write("    ");
            var started = DateTime.UtcNow;
            var rows = RunOne(s, output);
            output.WriteLine($"({(DateTime.UtcNow - started).TotalSeconds:0.0}s)");
            output.WriteLine();
            PerfTestTable.Write(output, s, rows);
            output.WriteLine();
            all.AddRange(rows);
        }
        return all;
    }

    private static List<Measurement> RunOne(PerfTestScenario s, TextWriter output)
    {
        var label = s.Label;
        Measurement M(string end, string metric, string unit, double v) => new(SuiteName, label, end, metric, unit, [v]);
        if (PerfTestRun.Unsupported(s) is { } why)
            return [Measurement.Failed(SuiteName, label, "puma-shm", "msg/s", "msg/s", "not supported: " + why)];
        PerfTestResult r;
        try
        {
            r = PerfTestRun.Run(s, output);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            var error = e is BenchChildException ? e.Message : $"{e.GetType().Name}: {e.Message}";
            return [Measurement.Failed(SuiteName, label, "puma-shm", "msg/s", "msg/s", error)];
        }
        var rows = new List<Measurement>();
        var w = r.Writer;
        rows.Add(M("puma-shm", "MB/s", "MB/s", w.Bytes / w.Seconds / 1e6));
        rows.Add(M("puma-shm", "msg/s", "msg/s", w.Messages / w.Seconds));
        if (s.WritesPerSecond > 0) rows.Add(M("puma-shm", "target", "%", w.Messages / w.Seconds / s.WritesPerSecond * 100));
        rows.Add(M("puma-shm", "waits", "count", w.Waits));
        rows.Add(M("puma-shm", "waits-percent", "%", w.Messages == 0 ? 0 : 100.0 * w.Waits / w.Messages));
        rows.Add(M("puma-shm", "wait-seconds", "s", w.WaitSeconds));
        rows.Add(M("puma-shm", "readers-startup", "s", r.StartupSeconds));
        foreach (var rd in r.Readers)
        {
            var end = "reader-" + (rd.Slot + 1).ToString(CultureInfo.InvariantCulture);
            rows.Add(M(end, "MB/s", "MB/s", rd.Bytes / rd.Seconds / 1e6));
            rows.Add(M(end, "msg/s", "msg/s", rd.Messages / rd.Seconds));
            if (s.WritesPerSecond > 0) rows.Add(M(end, "target", "%", rd.Messages / rd.Seconds / s.WritesPerSecond * 100));
            rows.Add(M(end, "lost", "count", rd.Lost));
            rows.Add(M(end, "corrupt", "count", rd.Corrupt));
            if (rd.Lost != 0 || rd.Corrupt != 0 || rd.Messages != w.Messages)
                rows.Add(Measurement.Failed(SuiteName, label, end, "verify", "", $"received {rd.Messages} of {w.Messages} messages, lost {rd.Lost}, corrupt {rd.Corrupt}"));
        }
        return rows;
    }
}
