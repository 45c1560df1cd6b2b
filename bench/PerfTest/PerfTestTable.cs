using System.Globalization;
using System.Text;
using Puma.Bench.Harness;

namespace Puma.Bench.PerfTest;

/// <summary>
/// Prints one perf-test scenario as a table with one row per end (the writer, then every reader):
/// MB/s, messages/s, % of the target rate, and the writer's waits or the reader's lost / corrupt counts.
/// </summary>
internal static class PerfTestTable
{
    /// <summary>Writes the table of <paramref name="scenario"/> from its measurements.</summary>
    public static void Write(TextWriter output, PerfTestScenario scenario, IReadOnlyList<Measurement> rows)
    {
        string[] header = ["end", "MB/s", "msg/s", "% target", "waits", "waits %", "wait s", "lost", "corrupt"];
        string[] metrics = ["MB/s", "msg/s", "target", "waits", "waits-percent", "wait-seconds", "lost", "corrupt"];
        var table = new List<string[]> { header };
        foreach (var end in rows.Select(r => r.Transport).Distinct())
        {
            var cells = new string[header.Length];
            cells[0] = end;
            for (var i = 0; i < metrics.Length; i++)
            {
                var m = rows.FirstOrDefault(r => r.Transport == end && r.Metric == metrics[i]);
                cells[i + 1] = m is null ? "" : m.Error is not null ? "FAILED" : Format(m);
            }
            table.Add(cells);
        }
        var widths = Enumerable.Range(0, header.Length).Select(c => table.Max(r => r[c].Length)).ToArray();
        var sb = new StringBuilder();
        var target = scenario.WritesPerSecond > 0 ? string.Create(CultureInfo.InvariantCulture, $"target {scenario.WritesPerSecond} msg/s = {scenario.WritesPerSecond * scenario.SlotBytes / 1e6:0.###} MB/s") : "unpaced (ceiling)";
        sb.AppendLine(CultureInfo.InvariantCulture, $"perf-test {scenario.Label}: {scenario.DurationSeconds} s, {target}, ring {PerfTestRun.Capacity(scenario.SlotBytes, scenario.Slots):#,0} B ({scenario.Slots} slots), MB = 1e6 B");
        for (var i = 0; i < table.Count; i++)
        {
            for (var c = 0; c < header.Length; c++)
            {
                sb.Append(c == 0 ? table[i][c].PadRight(widths[c]) : table[i][c].PadLeft(widths[c]));
                if (c < header.Length - 1) sb.Append("  ");
            }
            sb.AppendLine();
            if (i == 0) sb.AppendLine(new string('-', widths.Sum() + 2 * (header.Length - 1)));
        }
        foreach (var failed in rows.Where(r => r.Error is not null).DistinctBy(r => r.Error))
            sb.AppendLine(CultureInfo.InvariantCulture, $"FAILED ({failed.Transport} {failed.Metric}): {failed.Error}");
        output.Write(sb.ToString());
    }

    private static string Format(Measurement m) => m.Unit switch
    {
        "count" => m.Value.ToString("#,0", CultureInfo.InvariantCulture),
        "%" => m.Value.ToString("0.0", CultureInfo.InvariantCulture),
        _ => ResultTable.Format(m.Value),
    };
}
