using System.Globalization;

namespace Puma.Bench.PerfTest;

/// <summary>
/// One perf-test scenario, with the parameters of bslatkin's ringbuffer perf test: message size
/// (<see cref="SlotBytes"/>), ring size in messages (<see cref="Slots"/>), run time, paced write
/// rate (0 = as fast as the ring takes them), broadcast readers, CPU burned by each reader after
/// every message, and whether readers compare the whole payload.
/// </summary>
internal sealed record PerfTestScenario(
    int SlotBytes,
    int Slots,
    double DurationSeconds,
    double WritesPerSecond,
    int Readers,
    double ReaderBurnMilliseconds,
    bool Verify)
{
    /// <summary>A short name for <c>--cases</c>: scenario-1 .. scenario-5, ceiling-1k, ceiling-64k, or custom.</summary>
    public string Name { get; init; } = "custom";

    /// <summary>The scenario's name in the tables and the JSON "case" field.</summary>
    public string Label
    {
        get
        {
            var inv = CultureInfo.InvariantCulture;
            var s = string.Create(inv, $"slot={SlotBytes} slots={Slots} wps={(WritesPerSecond > 0 ? WritesPerSecond.ToString(inv) : "max")} readers={Readers}");
            if (ReaderBurnMilliseconds > 0) s += string.Create(inv, $" burn={ReaderBurnMilliseconds}ms");
            if (!Verify) s += " no-verify";
            return s;
        }
    }

    /// <summary>The same scenario on the command line.</summary>
    public string CommandLine =>
        string.Create(CultureInfo.InvariantCulture,
            $"--slot-bytes={SlotBytes} --slots={Slots} --duration-seconds={DurationSeconds} --writes-per-second={WritesPerSecond} --readers={Readers} --reader-burn-cpu-milliseconds={ReaderBurnMilliseconds} {(Verify ? "--verify" : "--no-verify")}");

    /// <summary>The five standard scenarios and the two ceiling scenarios (1 KB and 64 KiB slots, unlimited rate, 1 reader).</summary>
    public static IReadOnlyList<PerfTestScenario> Standard(double durationSeconds) =>
    [
        new(1_000_000, 50, durationSeconds, 24, 5, 0, true) { Name = "scenario-1" },
        new(1_000_000, 10, durationSeconds, 24, 100, 0, true) { Name = "scenario-2" },
        new(1_000_000, 10, durationSeconds, 2000, 1, 0, true) { Name = "scenario-3" },
        new(100_000_000, 3, durationSeconds, 24, 1, 0, false) { Name = "scenario-4" },
        new(1_000_000, 10, durationSeconds, 24, 4, 100, true) { Name = "scenario-5" },
        new(1_000, 1000, durationSeconds, 0, 1, 0, true) { Name = "ceiling-1k" },
        new(65_536, 64, durationSeconds, 0, 1, 0, true) { Name = "ceiling-64k" },
    ];

    /// <summary>
    /// Parses the scenario options (<c>--slot-bytes N</c> or <c>--slot-bytes=N</c>, ...). Returns null when
    /// no option other than <c>--duration-seconds</c> is given: the standard scenarios then run.
    /// </summary>
    /// <param name="args">The suite's own arguments.</param>
    /// <param name="durationSeconds">The duration given, or null.</param>
    /// <exception cref="ArgumentException">An unknown option or a bad value.</exception>
    public static PerfTestScenario? Parse(IReadOnlyList<string> args, out double? durationSeconds)
    {
        int slotBytes = 1_000_000, slots = 10, readers = 1;
        double wps = 24, burn = 0;
        bool verify = true, any = false;
        durationSeconds = null;
        for (var i = 0; i < args.Count; i++)
        {
            var a = args[i];
            string? inline = null;
            var eq = a.IndexOf('=', StringComparison.Ordinal);
            if (a.StartsWith("--", StringComparison.Ordinal) && eq > 0)
            {
                inline = a[(eq + 1)..];
                a = a[..eq];
            }
            string Value() => inline ?? (i + 1 < args.Count ? args[++i] : throw new ArgumentException($"{a} needs a value"));
            switch (a)
            {
                case "--slot-bytes": slotBytes = (int)Number(a, Value(), 1, int.MaxValue); any = true; break;
                case "--slots": slots = (int)Number(a, Value(), 1, int.MaxValue); any = true; break;
                case "--duration-seconds": durationSeconds = Number(a, Value(), 0.1, 86_400); break;
                case "--writes-per-second": wps = Number(a, Value(), 0, 1e9); any = true; break;
                case "--readers": readers = (int)Number(a, Value(), 1, int.MaxValue); any = true; break;
                case "--reader-burn-cpu-milliseconds": burn = Number(a, Value(), 0, 60_000); any = true; break;
                case "--verify": verify = true; any = true; break;
                case "--no-verify": verify = false; any = true; break;
                default: throw new ArgumentException($"unknown option '{args[i]}'");
            }
        }
        return any ? new PerfTestScenario(slotBytes, slots, durationSeconds ?? 10, wps, readers, burn, verify) : null;
    }

    private static double Number(string option, string value, double min, double max)
    {
        if (!double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) || v < min || v > max)
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"{option} needs a number between {min} and {max}, got '{value}'"));
        return v;
    }
}
