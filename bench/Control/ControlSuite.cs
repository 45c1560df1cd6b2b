using System.Diagnostics;
using Puma.Bench.Harness;
using Puma.Bench.Startup;
using Puma.Runnables;
using Puma.Runtime;

namespace Puma.Bench.Control;

/// <summary>
/// The <c>control</c> suite: the supervisor's own costs, as a user meets them. <c>ask</c>: the latency of
/// <c>AskAsync</c> to a runnable in a thread and in a child process (p50 and p99 of many sequential asks);
/// <c>kill-detect</c>: from <c>kill -9</c> of a child to <c>WaitAsync</c> throwing <c>ChildProcessDiedException</c>;
/// <c>idle-cpu</c>: the supervisor process's CPU while three process runnables idle; <c>pipeline-setup</c>: three
/// process runnables joined by two buffers, from <c>new PumaRuntime()</c> to a reply from each, then stop and
/// dispose; <c>first-runtime</c>: the first runtime of a fresh process (a child started for it), from its
/// <c>Main</c> to the first reply of a thread runnable: Puma's and Akka's assemblies loaded and JIT-compiled, the
/// ActorSystem created (the process's own start, ~60 ms for a bare <c>dotnet</c>, is not counted).
/// </summary>
internal sealed class ControlSuite : ISuite
{
    /// <summary>The child mode that measures the first runtime of a process.</summary>
    public const string FirstRuntimeChild = "first-runtime";

    /// <inheritdoc/>
    public string Name => "control";

    /// <inheritdoc/>
    public string Description => "supervisor costs: AskAsync latency (thread, process), kill -9 detection, idle CPU, 3-process setup + teardown, first runtime of a process";

    /// <inheritdoc/>
    public IReadOnlyList<Measurement> Run(CliOptions options, TextWriter output)
    {
        var repeats = Math.Max(options.Repeats, options.Quick ? 3 : 5);
        var rows = new List<Measurement>();
        var cases = new SuiteCases("control", output, 13);
        foreach (var placement in new[] { Placement.Thread, Placement.Process })
        {
            var transport = placement == Placement.Thread ? "puma-thread" : "puma-process";
            if (options.IncludesCase("ask") && options.Includes(transport))
                rows.AddRange(cases.Guard("ask", transport, "p50", "us", () => AskLatency(Name, placement, transport, options.Quick, repeats)));
        }

        if (options.IncludesCase("kill-detect"))
            rows.Add(cases.Measure("kill-detect", "puma-process", "time", "ms", repeats, KillDetect));
        if (options.IncludesCase("idle-cpu"))
            rows.Add(cases.Measure("idle-cpu", "puma-process", "cpu", "% of a core", options.Quick ? 1 : 3, () => IdleCpu(options.Quick ? 2 : 5)));
        if (options.IncludesCase("pipeline-setup"))
            rows.Add(cases.Measure("pipeline-setup", "puma-process", "time", "ms", repeats, PipelineSetup));
        if (options.IncludesCase("first-runtime"))
            rows.Add(cases.Measure("first-runtime", "puma-thread", "time", "ms", repeats, FirstRuntimeInAFreshProcess));

        output.WriteLine();
        ResultTable.Write(output, $"control: the supervisor's costs, median of {repeats} (after one warm-up)", rows, "puma-thread");
        return rows;
    }

    /// <summary>Child mode: the first runtime of this process, from here to a thread runnable's first reply; prints the milliseconds.</summary>
    public static int RunFirstRuntimeChild(long startTimestamp)
    {
        var runtime = new PumaRuntime();
        runtime.Add(new Echo { Name = "echo" });
        runtime.StartAsync().GetAwaiter().GetResult();
        runtime.AskAsync<int>("echo", new WhoAreYou()).GetAwaiter().GetResult();
        var ms = Stopwatch.GetElapsedTime(startTimestamp).TotalMilliseconds;
        runtime.DisposeAsync().AsTask().GetAwaiter().GetResult();
        Console.WriteLine(ms.ToString("R", System.Globalization.CultureInfo.InvariantCulture));
        return 0;
    }

    /// <summary>Sequential asks after a warm-up; one sample per round: p50 and p99 of the round's latencies (also the startup suite's ask case).</summary>
    internal static IEnumerable<Measurement> AskLatency(string suite, Placement placement, string transport, bool quick, int repeats)
    {
        var asks = (placement == Placement.Thread ? 20_000 : 2_000) / (quick ? 4 : 1);
        var runtime = new PumaRuntime();
        try
        {
            runtime.Add(new Echo { Name = "echo" }, placement);
            runtime.StartAsync().GetAwaiter().GetResult();
            var p50 = new List<double>();
            var p99 = new List<double>();
            var latencies = new long[asks];
            for (var round = -1; round < repeats; round++) // round -1 is the warm-up
            {
                for (var i = 0; i < asks; i++)
                {
                    var t0 = Stopwatch.GetTimestamp();
                    runtime.AskAsync<int>("echo", new WhoAreYou()).GetAwaiter().GetResult();
                    latencies[i] = Stopwatch.GetTimestamp() - t0;
                }

                if (round < 0) continue;
                Array.Sort(latencies);
                p50.Add(Statistics.PercentileOfSorted(latencies, 50) * 1e6 / Stopwatch.Frequency);
                p99.Add(Statistics.PercentileOfSorted(latencies, 99) * 1e6 / Stopwatch.Frequency);
            }

            return [new Measurement(suite, "ask", transport, "p50", "us", p50), new Measurement(suite, "ask", transport, "p99", "us", p99)];
        }
        finally
        {
            runtime.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }
    }

    private static double KillDetect()
    {
        var runtime = new PumaRuntime(new PumaOptions { Logger = Serilog.Core.Logger.None });
        try
        {
            runtime.Add(new Echo { Name = "victim" }, Placement.Process);
            runtime.StartAsync().GetAwaiter().GetResult();
            var pid = runtime.AskAsync<int>("victim", new WhoAreYou()).GetAwaiter().GetResult();
            var wait = runtime.WaitAsync();
            var t0 = Stopwatch.GetTimestamp();
            Process.GetProcessById(pid).Kill();
            try
            {
                wait.WaitAsync(TimeSpan.FromSeconds(30)).GetAwaiter().GetResult();
            }
            catch (RunnableFailedException e) when (e.InnerException is ChildProcessDiedException)
            {
                return Stopwatch.GetElapsedTime(t0).TotalMilliseconds;
            }

            throw new InvalidOperationException("WaitAsync did not report the killed child");
        }
        finally
        {
            runtime.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }
    }

    private static double IdleCpu(int seconds)
    {
        var runtime = new PumaRuntime();
        try
        {
            for (var i = 0; i < 3; i++)
                runtime.Add(new Echo { Name = $"idle-{i}" }, Placement.Process);
            runtime.StartAsync().GetAwaiter().GetResult();
            for (var i = 0; i < 3; i++)
                runtime.AskAsync<int>($"idle-{i}", new WhoAreYou()).GetAwaiter().GetResult();
            Thread.Sleep(TimeSpan.FromSeconds(5)); // let start-up work settle: tiered JIT recompiles hot methods in the background for a few seconds
            var cpu0 = ProcessCpu.Self();
            var t0 = Stopwatch.GetTimestamp();
            Thread.Sleep(TimeSpan.FromSeconds(seconds));
            var cpu = ProcessCpu.Self() - cpu0;
            return 100 * cpu.TotalSeconds / Stopwatch.GetElapsedTime(t0).TotalSeconds;
        }
        finally
        {
            runtime.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }
    }

    private static double PipelineSetup()
    {
        var t0 = Stopwatch.GetTimestamp();
        var runtime = new PumaRuntime();
        try
        {
            var a = runtime.CreateBuffer<int>("a", 64);
            var b = runtime.CreateBuffer<int>("b", 64);
            runtime.Add(new IdleSource { Name = "source", Output = a.Writer }, Placement.Process);
            runtime.Add(new Relay { Name = "relay", Input = a.Reader, Output = b.Writer }, Placement.Process);
            runtime.Add(new Drain { Name = "drain", Input = b.Reader }, Placement.Process);
            runtime.StartAsync().GetAwaiter().GetResult();
            Task.WhenAll(runtime.RunnableNames.Select(n => runtime.AskAsync<int>(n, new WhoAreYou()))).GetAwaiter().GetResult();
            var stop = runtime.StopAsync(TimeSpan.FromSeconds(10)).GetAwaiter().GetResult();
            if (stop.Killed.Count > 0 || stop.Abandoned.Count > 0)
                throw new InvalidOperationException("the pipeline did not stop gracefully");
        }
        finally
        {
            runtime.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }

        return Stopwatch.GetElapsedTime(t0).TotalMilliseconds;
    }

    private static double FirstRuntimeInAFreshProcess()
    {
        var psi = new ProcessStartInfo(BenchChild.DotnetHost()) { UseShellExecute = false, RedirectStandardOutput = true };
        psi.ArgumentList.Add(typeof(ControlSuite).Assembly.Location);
        psi.ArgumentList.Add(FirstRuntimeChild);
        using var p = Process.Start(psi) ?? throw new InvalidOperationException("could not start dotnet");
        var line = p.StandardOutput.ReadLine();
        if (!p.WaitForExit(30_000)) p.Kill();
        return double.Parse(line ?? throw new InvalidOperationException("the child printed nothing"), System.Globalization.CultureInfo.InvariantCulture);
    }
}
