using Puma.Bench.Harness;
using Puma.Buffers;

namespace Puma.Bench.Shared;

/// <summary>
/// The <c>shared</c> suite (issue 15): one SharedValue&lt;long&gt; incremented, and a SharedDictionary read and
/// written, by two workers at once: two processes (puma-2proc), two threads of one process (puma-2thr), and the
/// in-process baselines with two threads, Interlocked on ordinary memory and ConcurrentDictionary (dotnet-2thr).
/// The workers of a round start on a spin barrier and report start and end timestamps; the figure is the aggregate
/// rate: both workers' operations over the round's span (last end minus first start), median of the rounds after a
/// warm-up round. The overlap (the time both ran over the span) is printed per case; a round under 90% is flagged,
/// as its rate is then closer to serial runs than to a contended pair. Every round is checked (the counter's exact total, the sums of the values got).
/// </summary>
internal sealed class SharedSuite : ISuite
{
    /// <summary>Two processes on Puma's shared objects.</summary>
    public const string Processes = "puma-2proc";

    /// <summary>Two threads of one process on Puma's shared objects.</summary>
    public const string Threads = "puma-2thr";

    /// <summary>Two threads on Interlocked / ConcurrentDictionary: the baseline.</summary>
    public const string Baseline = "dotnet-2thr";

    private const int Workers = 2;

    /// <inheritdoc/>
    public string Name => "shared";

    /// <inheritdoc/>
    public string Description => "shared state: SharedValue increments, SharedDictionary get/set from 2 processes vs Interlocked / ConcurrentDictionary in 1 process";

    /// <inheritdoc/>
    public IReadOnlyList<Measurement> Run(CliOptions options, TextWriter output)
    {
        var repeats = options.Repeats;
        var rows = new List<Measurement>();
        var cases = new SuiteCases(Name, output, 12);
        foreach (var caseName in SharedCase.All.Where(options.IncludesCase))
        {
            var ops = OpsPerRound(caseName, options.Quick);
            foreach (var implementation in new[] { Processes, Threads, Baseline }.Where(options.Includes))
                rows.AddRange(cases.Guard(caseName, implementation, "rate", "M ops/s", () => [Measure(caseName, implementation, ops, repeats, output)]));
        }
        output.WriteLine();
        ResultTable.Write(output, $"shared: aggregate rate of {Workers} workers, median of {repeats} rounds (after one warm-up); {SharedKeys.Count} keys", rows, Baseline, "implementation");
        return rows;
    }

    /// <summary>Operations per worker per round: a multiple of the key count, about a second of work.</summary>
    private static long OpsPerRound(string caseName, bool quick)
    {
        var ops = caseName is SharedCase.DictSet or SharedCase.DictSetString ? 1L << 22 : 1L << 23;
        return quick ? ops / 4 : ops;
    }

    private Measurement Measure(string caseName, string implementation, long ops, int repeats, TextWriter output)
    {
        var rounds = repeats + 1;
        using var targets = implementation == Baseline ? SharedTargets.Baseline(caseName) : SharedTargets.Puma(caseName);
        var spans = implementation == Processes
            ? InProcesses(caseName, targets, ops, rounds)
            : InThreads(caseName, targets, ops, rounds);
        if (targets.Check(Workers * ops * rounds) is { } wrong)
            throw new InvalidOperationException(wrong);
        var measured = spans.Skip(1).ToList();
        var overlaps = string.Join(" ", measured.Select(s => s.Overlap.ToString("P0", System.Globalization.CultureInfo.InvariantCulture) + (s.Overlap < 0.9 ? "(!)" : "")));
        output.Write($"overlap per round {overlaps}{(measured.Any(s => s.Overlap < 0.9) ? " ((!) under 90%: partly serial, rate too high)" : "")}; ");
        var samples = measured.Select(s => Workers * ops / s.Seconds / 1e6).ToList();
        return new Measurement(Name, caseName, implementation, "rate", "M ops/s", samples);
    }

    /// <summary>A round's span (first start to last end, seconds) and the share of it during which every worker ran.</summary>
    private static (double Seconds, double Overlap) Span(IReadOnlyCollection<(long Started, long Ended)> workers)
    {
        var first = workers.Min(w => w.Started);
        var last = workers.Max(w => w.Ended);
        var together = workers.Min(w => w.Ended) - workers.Max(w => w.Started);
        var span = Math.Max(1, last - first);
        return ((double)span / System.Diagnostics.Stopwatch.Frequency, Math.Max(0, (double)together / span));
    }

    /// <summary>Runs the rounds in two worker processes; returns each round's span and overlap.</summary>
    private static List<(double Seconds, double Overlap)> InProcesses(string caseName, SharedTargets targets, long ops, int rounds)
    {
        using var go = SharedValue<int>.Create("go", 0);
        var maxSeconds = 60 + (rounds * 30);
        var args = SharedWorker.Arguments(caseName, targets.Json!, System.Text.Json.JsonSerializer.Serialize(go), ops, rounds, maxSeconds);
        var children = new List<BenchChild>();
        try
        {
            for (var i = 0; i < Workers; i++)
                children.Add(BenchChild.Start(args, TimeSpan.FromSeconds(maxSeconds)));
            foreach (var child in children)
                child.WaitForReport("ready", TimeSpan.FromSeconds(60));
            var seconds = new List<(double Seconds, double Overlap)>();
            for (var round = 0; round < rounds; round++)
            {
                go.Write((round + 1) * SharedSpinStart.Step);
                var reports = children.Select(c => c.WaitForReport("round", TimeSpan.FromSeconds(60))).ToArray();
                if (reports.Any(r => r.Corrupt != 0 || r.Round != round))
                    throw new InvalidOperationException($"round {round}: a worker's checksum was wrong");
                seconds.Add(Span(reports.Select(r => (r.Started, r.Ended)).ToArray()));
            }
            foreach (var child in children)
                child.WaitForExit(TimeSpan.FromSeconds(30));
            return seconds;
        }
        finally
        {
            foreach (var child in children)
                child.Dispose();
        }
    }

    /// <summary>Runs the rounds in two threads of this process; returns each round's span and overlap.</summary>
    private static List<(double Seconds, double Overlap)> InThreads(string caseName, SharedTargets targets, long ops, int rounds)
    {
        var seconds = new List<(double Seconds, double Overlap)>();
        for (var round = 0; round < rounds; round++)
        {
            var arrived = 0;
            var times = new (long Started, long Ended)[Workers];
            var right = new bool[Workers];
            var threads = Enumerable.Range(0, Workers).Select(w => new Thread(() =>
            {
                var work = targets.Work(ops);
                SharedSpinStart.Meet(ref arrived, Workers);
                var begin = System.Diagnostics.Stopwatch.GetTimestamp();
                var checksum = work();
                times[w] = (begin, System.Diagnostics.Stopwatch.GetTimestamp());
                right[w] = SharedTargets.ChecksumIsRight(caseName, ops, checksum);
            })).ToArray();
            foreach (var thread in threads)
                thread.Start();
            foreach (var thread in threads)
                thread.Join();
            if (right.Contains(false))
                throw new InvalidOperationException($"round {round}: a worker's checksum was wrong");
            seconds.Add(Span(times));
        }
        return seconds;
    }
}
