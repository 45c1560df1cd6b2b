using Spectre.Console;
using Spectre.Console.Rendering;
using static Puma.Demo.Monitor.MonitorFormat;

namespace Puma.Demo.Monitor;

/// <summary>The monitor as a Spectre.Console live view: a table of runnables and a table of buffers with bars.</summary>
internal static class MonitorTable
{
    public static IRenderable Render(MetricRates rates, TimeSpan elapsed)
    {
        var runnables = new Table().Border(TableBorder.Rounded).Title($"[bold]Puma[/] runnables, {elapsed.TotalSeconds:N0} s")
            .AddColumns("runnable", "placement", "pid", "in", "out", "cpu", "", "memory", "restarts");
        foreach (var r in rates.Current.Runnables)
        {
            runnables.AddRow(
                Markup.Escape(r.Name), r.Placement.ToString(), r.ProcessId.ToString(),
                Rate(rates.ItemsInPerSecond(r)), Rate(rates.ItemsOutPerSecond(r)),
                Percent(r.CpuPercent), $"[green]{Bar(r.CpuPercent / 100, 10)}[/]", Megabytes(r.MemoryBytes), r.Restarts.ToString());
        }

        var buffers = new Table().Border(TableBorder.Rounded).Title("buffers")
            .AddColumns("buffer", "written", "read", "bandwidth", "fill", "", "writer waits");
        foreach (var b in rates.Current.Buffers)
        {
            var color = b.FillLevel > 0.9 ? "red" : b.FillLevel > 0.5 ? "yellow" : "green";
            buffers.AddRow(
                Markup.Escape(b.Name), Rate(rates.WrittenPerSecond(b)), Rate(rates.ReadPerSecond(b)),
                Megabytes(rates.BytesWrittenPerSecond(b)) + "/s", Percent(b.FillLevel * 100), $"[{color}]{Bar(b.FillLevel)}[/]",
                $"{Count(b.WriterWaits)} ({Rate(rates.WaitsPerSecond(b))})");
        }
        return new Rows(runnables, buffers);
    }
}
