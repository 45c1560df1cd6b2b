using System.Diagnostics;
using Puma.Bench.Control;
using Puma.Bench.Harness;
using Puma.Runnables;
using Puma.Runtime;

namespace Puma.Bench.Startup;

/// <summary>
/// The <c>startup</c> suite: how long one runnable takes from <c>new PumaRuntime()</c> to its first
/// reply (<c>Add</c>, <c>StartAsync</c>, <c>AskAsync</c>), and how long <c>StopAsync</c> plus
/// <c>DisposeAsync</c> take, in a thread and in a child process, and then the latency of an <c>AskAsync</c> to a
/// running runnable (case <c>ask</c>, p50 and p99, the control suite's measure). The baseline is the bare cost of
/// a .NET process: start <c>dotnet Puma.Bench.dll hello</c> and read its first line.
/// </summary>
internal sealed class StartupSuite : ISuite
{
    /// <inheritdoc/>
    public string Name => "startup";

    /// <inheritdoc/>
    public string Description => "one runnable: new runtime -> first reply, stop + dispose, and AskAsync latency, thread vs child process vs a bare dotnet process";

    /// <inheritdoc/>
    public IReadOnlyList<Measurement> Run(CliOptions options, TextWriter output)
    {
        var repeats = Math.Max(options.Repeats, options.Quick ? 3 : 5);
        var rows = new List<Measurement>();
        var firstReply = options.IncludesCase("first-reply");
        if (firstReply && options.Includes("dotnet-process"))
            rows.Add(Measure(output, "first-reply", "dotnet-process", repeats, () => (BareProcessStart(), double.NaN)).First);
        foreach (var placement in new[] { Placement.Thread, Placement.Process })
        {
            var name = placement == Placement.Thread ? "puma-thread" : "puma-process";
            if (!firstReply || !options.Includes(name)) continue;
            var (first, stop) = Measure(output, "first-reply", name, repeats, () => RuntimeStartStop(placement));
            rows.Add(first);
            rows.Add(stop with { Case = "stop-dispose" });
        }
        var cases = new SuiteCases(Name, output, 14);
        foreach (var placement in new[] { Placement.Thread, Placement.Process })
        {
            var name = placement == Placement.Thread ? "puma-thread" : "puma-process";
            if (options.IncludesCase("ask") && options.Includes(name))
                rows.AddRange(cases.Guard("ask", name, "p50", "us", () => ControlSuite.AskLatency(Name, placement, name, options.Quick, repeats)));
        }
        output.WriteLine();
        ResultTable.Write(output,
            $"startup: one runnable, median of {repeats} (after one warm-up); first-reply = new PumaRuntime -> Add -> StartAsync -> first AskAsync reply; " +
            "ask = p50/p99 of sequential AskAsync calls to a running runnable",
            rows, "dotnet-process");
        return rows;
    }

    private (Measurement First, Measurement Second) Measure(TextWriter output, string caseName, string transport, int repeats, Func<(double, double)> once)
    {
        output.Write($"  {caseName,-12} {transport,-16} ");
        try
        {
            once(); // warm-up: JIT, disk cache
            var a = new List<double>();
            var b = new List<double>();
            for (var i = 0; i < repeats; i++)
            {
                var (x, y) = once();
                a.Add(x);
                b.Add(y);
            }
            var first = new Measurement(Name, caseName, transport, "time", "ms", a);
            var second = new Measurement(Name, caseName, transport, "time", "ms", b);
            output.WriteLine(double.IsNaN(second.Value)
                ? $"{ResultTable.Format(first.Value)} ms"
                : $"{ResultTable.Format(first.Value)} ms, stop + dispose {ResultTable.Format(second.Value)} ms");
            return (first, second);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            output.WriteLine($"FAILED: {e.GetType().Name}: {e.Message}");
            var failed = Measurement.Failed(Name, caseName, transport, "time", "ms", $"{e.GetType().Name}: {e.Message}");
            return (failed, failed);
        }
    }

    private static (double FirstReplyMs, double StopDisposeMs) RuntimeStartStop(Placement placement)
    {
        var t0 = Stopwatch.GetTimestamp();
        var runtime = new PumaRuntime();
        double first, stop;
        try
        {
            runtime.Add(new Echo { Name = "echo" }, placement);
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            runtime.StartAsync(cts.Token).GetAwaiter().GetResult();
            var pid = runtime.AskAsync<int>("echo", new WhoAreYou(), cts.Token).GetAwaiter().GetResult();
            first = Stopwatch.GetElapsedTime(t0).TotalMilliseconds;
            if ((pid == Environment.ProcessId) != (placement == Placement.Thread))
                throw new InvalidOperationException($"echo answered from pid {pid}, which does not match placement {placement}");
        }
        finally
        {
            var t1 = Stopwatch.GetTimestamp();
            var result = runtime.StopAsync(TimeSpan.FromSeconds(10)).GetAwaiter().GetResult();
            runtime.DisposeAsync().AsTask().GetAwaiter().GetResult();
            stop = Stopwatch.GetElapsedTime(t1).TotalMilliseconds;
            if (result.Killed.Count > 0 || result.Abandoned.Count > 0)
                throw new InvalidOperationException("echo did not stop gracefully");
        }
        return (first, stop);
    }

    private static double BareProcessStart()
    {
        var t0 = Stopwatch.GetTimestamp();
        var psi = new ProcessStartInfo(BenchChild.DotnetHost())
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
        };
        psi.ArgumentList.Add(typeof(StartupSuite).Assembly.Location);
        psi.ArgumentList.Add("hello");
        using var p = Process.Start(psi) ?? throw new InvalidOperationException("could not start dotnet");
        var line = p.StandardOutput.ReadLine();
        var ms = Stopwatch.GetElapsedTime(t0).TotalMilliseconds;
        if (line != "hello") throw new InvalidOperationException($"expected 'hello', got '{line}'");
        if (!p.WaitForExit(10_000)) p.Kill();
        return ms;
    }
}
