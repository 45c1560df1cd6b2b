using Puma.Bench.Harness;
using Puma.Buffers;

namespace Puma.Bench.Shared;

/// <summary>
/// The <c>shared</c> suite (issue 15): one SharedValue&lt;long&gt; incremented, and a SharedDictionary read and
/// written, by two workers at once: two processes (puma-2proc), two threads of one process (puma-2thr), and the
/// in-process baselines with two threads, Interlocked on ordinary memory and ConcurrentDictionary (dotnet-2thr).
/// The figure is the aggregate rate: both workers' operations over the longer worker's time, median of the rounds
/// after a warm-up round. Every round is checked (the counter's exact total, the sums of the values got).
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
                rows.AddRange(cases.Guard(caseName, implementation, "rate", "M ops/s", () => [Measure(caseName, implementation, ops, repeats)]));
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

    private Measurement Measure(string caseName, string implementation, long ops, int repeats)
    {
        var rounds = repeats + 1;
        using var targets = implementation == Baseline ? SharedTargets.Baseline(caseName) : SharedTargets.Puma(caseName);
        var seconds = implementation == Processes
            ? InProcesses(caseName, targets, ops, rounds)
            : InThreads(caseName, targets, ops, rounds);
        if (targets.Check(Workers * ops * rounds) is { } wrong)
            throw new InvalidOperationException(wrong);
        var samples = seconds.Skip(1).Select(s => Workers * ops / s / 1e6).ToList();
        return new Measurement(Name, caseName, implementation, "rate", "M ops/s", samples);
    }

    /// <summary>Runs the rounds in two worker processes; returns each round's longer worker time.</summary>
    private static List<double> InProcesses(string caseName, SharedTargets targets, long ops, int rounds)
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
            var seconds = new List<double>();
            for (var round = 0; round < rounds; round++)
            {
                go.Write(round + 1);
                var reports = children.Select(c => c.WaitForReport("round", TimeSpan.FromSeconds(60))).ToArray();
                if (reports.Any(r => r.Corrupt != 0 || r.Round != round))
                    throw new InvalidOperationException($"round {round}: a worker's checksum was wrong");
                seconds.Add(reports.Max(r => r.Seconds));
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

    /// <summary>Runs the rounds in two threads of this process; returns each round's longer worker time.</summary>
    private static List<double> InThreads(string caseName, SharedTargets targets, long ops, int rounds)
    {
        var seconds = new List<double>();
        for (var round = 0; round < rounds; round++)
        {
            using var start = new Barrier(Workers);
            var times = new double[Workers];
            var right = new bool[Workers];
            var threads = Enumerable.Range(0, Workers).Select(w => new Thread(() =>
            {
                var work = targets.Work(ops);
                start.SignalAndWait();
                var begin = System.Diagnostics.Stopwatch.GetTimestamp();
                var checksum = work();
                times[w] = System.Diagnostics.Stopwatch.GetElapsedTime(begin).TotalSeconds;
                right[w] = SharedTargets.ChecksumIsRight(caseName, ops, checksum);
            })).ToArray();
            foreach (var thread in threads)
                thread.Start();
            foreach (var thread in threads)
                thread.Join();
            if (right.Contains(false))
                throw new InvalidOperationException($"round {round}: a worker's checksum was wrong");
            seconds.Add(times.Max());
        }
        return seconds;
    }
}
