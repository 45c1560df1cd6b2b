using System.Globalization;
using System.Text;

namespace Puma.Bench.Harness;

/// <summary>
/// Prints measurements as a table: case, transport, metric, median, unit, spread of the repeats and
/// the ratio against a baseline transport (value / baseline value for the same case and metric).
/// </summary>
internal static class ResultTable
{
    /// <summary>Writes the table to <paramref name="output"/>.</summary>
    /// <param name="output">Where to write.</param>
    /// <param name="title">A header line (what is measured and how).</param>
    /// <param name="rows">The measurements, in print order.</param>
    /// <param name="baseline">The transport the ratio column divides by.</param>
    /// <param name="transportHeader">Header of the transport column.</param>
    public static void Write(TextWriter output, string title, IReadOnlyList<Measurement> rows, string baseline, string transportHeader = "transport")
    {
        var table = new List<string[]>
        {
            new[] { "case", transportHeader, "metric", "median", "unit", "spread", $"x {baseline}" },
        };
        foreach (var m in rows)
        {
            if (m.Error is not null)
            {
                table.Add([m.Case, m.Transport, m.Metric, "FAILED", m.Unit, "", OneLine(m.Error)]);
                continue;
            }
            var b = rows.FirstOrDefault(r => r.Case == m.Case && r.Metric == m.Metric && r.Transport == baseline && r.Error is null);
            var ratio = b is null || b.Value == 0 ? "" : (m.Value / b.Value).ToString("0.00", CultureInfo.InvariantCulture);
            table.Add([m.Case, m.Transport, m.Metric, Format(m.Value), m.Unit,
                $"{Statistics.SpreadPercent(m.Samples).ToString("0", CultureInfo.InvariantCulture)}%", ratio]);
        }

        var cols = table[0].Length;
        var widths = new int[cols];
        foreach (var r in table)
            for (var c = 0; c < cols - 1; c++) widths[c] = Math.Max(widths[c], r[c].Length);

        var sb = new StringBuilder();
        sb.AppendLine(title);
        for (var i = 0; i < table.Count; i++)
        {
            var r = table[i];
            for (var c = 0; c < cols; c++)
            {
                var numeric = c is 3 or 5 or 6 && i > 0;
                var cell = c == cols - 1 ? r[c] : numeric ? r[c].PadLeft(widths[c]) : r[c].PadRight(widths[c]);
                sb.Append(cell);
                if (c < cols - 1) sb.Append("  ");
            }
            sb.AppendLine();
            if (i == 0) sb.AppendLine(new string('-', widths.Sum() + 2 * (cols - 1) + 8));
        }
        output.Write(sb.ToString());
    }

    /// <summary>A value with 3 significant digits at least, thousands separated when large.</summary>
    public static string Format(double v)
    {
        if (double.IsNaN(v)) return "n/a";
        var a = Math.Abs(v);
        var fmt = a >= 1000 ? "#,0" : a >= 100 ? "0.0" : a >= 10 ? "0.00" : a >= 1 ? "0.000" : "0.0000";
        return v.ToString(fmt, CultureInfo.InvariantCulture);
    }

    private static string OneLine(string s)
    {
        var line = s.ReplaceLineEndings(" ");
        return line.Length > 120 ? line[..120] + "..." : line;
    }
}
