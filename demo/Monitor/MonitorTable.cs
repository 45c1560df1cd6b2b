using System.Globalization;
using Spectre.Console;
using Spectre.Console.Rendering;
using static Puma.Demo.Monitor.MonitorFormat;

namespace Puma.Demo.Monitor;

/// <summary>The monitor as a Spectre.Console live view: a table of runnables and a table of buffers with bars (fits 80 columns).</summary>
internal static class MonitorTable
{
    public static IRenderable Render(MetricRates rates, TimeSpan elapsed)
    {
        var runnables = new Table().Border(TableBorder.Rounded).Title($"[bold]Puma[/] runnables, {elapsed.TotalSeconds:N0} s")
            .AddColumns("runnable", "where", "pid", "in/s", "out/s", "cpu", "rss MB", "restarts");
        foreach (var r in rates.Current.Runnables)
        {
            runnables.AddRow(
                Markup.Escape(r.Name), r.Placement.ToString(), r.ProcessId.ToString(CultureInfo.InvariantCulture),
                Number(rates.ItemsInPerSecond(r)), Number(rates.ItemsOutPerSecond(r)),
                $"[green]{Bar(r.CpuPercent / 100, 5)}[/] {Percent(r.CpuPercent)}", (r.MemoryBytes / 1e6).ToString("N0", CultureInfo.InvariantCulture),
                r.Restarts.ToString(CultureInfo.InvariantCulture));
        }

        var buffers = new Table().Border(TableBorder.Rounded).Title("buffers")
            .AddColumns("buffer", "written/s", "read/s", "MB/s", "fill", "writer waits");
        foreach (var b in rates.Current.Buffers)
        {
            var color = b.FillLevel > 0.9 ? "red" : b.FillLevel > 0.5 ? "yellow" : "green";
            buffers.AddRow(
                Markup.Escape(b.Name), Number(rates.WrittenPerSecond(b)), Number(rates.ReadPerSecond(b)),
                (rates.BytesWrittenPerSecond(b) / 1e6).ToString("N1", CultureInfo.InvariantCulture),
                $"[{color}]{Bar(b.FillLevel, 10)}[/] {Percent(b.FillLevel * 100)}", Count(b.WriterWaits));
        }
        return new Rows(runnables, buffers);
    }

    private static string Number(double value) => value.ToString("N0", CultureInfo.InvariantCulture);
}
