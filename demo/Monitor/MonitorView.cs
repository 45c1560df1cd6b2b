using System.Diagnostics;
using Puma.Runtime;
using Spectre.Console;

namespace Puma.Demo.Monitor;

/// <summary>
/// The demo's <c>--monitor</c>: the runtime's metrics every second until the pipeline ends, then once more with the
/// rates averaged over the whole run. On a
/// terminal a live Spectre.Console view (redrawn in place); otherwise plain lines, so that a log or a pipe stays readable.
/// </summary>
internal static class MonitorView
{
    private static readonly TimeSpan Period = TimeSpan.FromSeconds(1);

    /// <summary>True when the view can redraw in place: standard output is an interactive terminal.</summary>
    public static bool IsLive => !Console.IsOutputRedirected && AnsiConsole.Profile.Capabilities.Interactive;

    /// <summary>Shows the metrics until <paramref name="ended"/> completes, then the final figures.</summary>
    public static Task RunAsync(PumaRuntime runtime, Task ended) => IsLive ? LiveAsync(runtime, ended) : LinesAsync(runtime, ended);

    private static async Task LinesAsync(PumaRuntime runtime, Task ended)
    {
        var clock = Stopwatch.StartNew();
        var first = runtime.Metrics();
        var previous = first;
        while (true)
        {
            var done = await WaitPeriodAsync(ended);
            var current = runtime.Metrics();
            MonitorLines.Write(Console.Out, new MetricRates(done ? first : previous, current), clock.Elapsed);
            previous = current;
            if (done)
                return;
        }
    }

    private static async Task LiveAsync(PumaRuntime runtime, Task ended)
    {
        var clock = Stopwatch.StartNew();
        var first = runtime.Metrics();
        await AnsiConsole.Live(MonitorTable.Render(new MetricRates(null, first), clock.Elapsed)).AutoClear(false).StartAsync(async context =>
        {
            var previous = first;
            while (true)
            {
                var done = await WaitPeriodAsync(ended);
                var current = runtime.Metrics();
                context.UpdateTarget(MonitorTable.Render(new MetricRates(done ? first : previous, current), clock.Elapsed));
                context.Refresh();
                previous = current;
                if (done)
                    return;
            }
        });
    }

    /// <summary>Waits a period or until the pipeline ends; true when it has ended.</summary>
    private static async Task<bool> WaitPeriodAsync(Task ended)
    {
        await Task.WhenAny(ended, Task.Delay(Period));
        return ended.IsCompleted;
    }
}
