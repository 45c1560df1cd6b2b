using System.Diagnostics;
using Puma.Bench.Harness;

namespace Puma.Bench.All;

/// <summary>
/// The <c>all</c> suite: runs every other registered suite in turn, in <c>--quick</c> mode with 3
/// repeats (or <c>--repeats N</c>), printing each suite's lines and table; the measurements of all
/// of them go into one list (one JSON file with <c>--json</c>). <c>--only</c> and <c>--cases</c>
/// are passed to every suite. A suite that throws becomes one failed measurement and the others
/// still run.
/// </summary>
/// <param name="suites">The registered suites (read when the suite runs; this suite skips itself).</param>
internal sealed class AllSuite(Func<IReadOnlyList<ISuite>> suites) : ISuite
{
    /// <summary>Repeats per measurement unless <c>--repeats</c> says otherwise.</summary>
    public const int DefaultRepeats = 3;

    /// <inheritdoc/>
    public string Name => "all";

    /// <inheritdoc/>
    public string Description => $"every suite above, --quick, {DefaultRepeats} repeats, one JSON file (a few minutes)";

    /// <inheritdoc/>
    public IReadOnlyList<Measurement> Run(CliOptions options, TextWriter output)
    {
        var quick = options.ForAllSuites(options.RepeatsGiven ? options.Repeats : DefaultRepeats);
        var rows = new List<Measurement>();
        var durations = new List<(string Suite, TimeSpan Elapsed, int Failed)>();
        foreach (var suite in suites().Where(s => s is not AllSuite))
        {
            output.WriteLine($"=== {suite.Name}: {suite.Description}");
            var t0 = Stopwatch.GetTimestamp();
            IReadOnlyList<Measurement> result;
            try
            {
                result = suite.Run(quick, output);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                output.WriteLine($"  FAILED: {e.GetType().Name}: {e.Message}");
                result = [Measurement.Failed(suite.Name, "*", "*", "suite", "", $"{e.GetType().Name}: {e.Message}")];
            }
            rows.AddRange(result);
            durations.Add((suite.Name, Stopwatch.GetElapsedTime(t0), result.Count(r => r.Error is not null)));
            output.WriteLine();
        }
        output.WriteLine($"all: {durations.Count} suites, --quick, {quick.Repeats} repeats");
        foreach (var (suite, elapsed, failed) in durations)
            output.WriteLine($"  {suite,-12} {elapsed.TotalSeconds,6:0.0} s{(failed > 0 ? $"  {failed} FAILED" : "")}");
        return rows;
    }
}
