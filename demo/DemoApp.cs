using System.Diagnostics;
using Puma.Demo.Monitor;
using Puma.Demo.Pipeline;
using Puma.Logging;
using Puma.Runtime;
using Puma.Runtime.Cluster;
using Puma.Runtime.Pipelines;
using Serilog;

namespace Puma.Demo;

/// <summary>producer -> processor -> consumer, with a gain command sent halfway through.</summary>
public static class DemoApp
{
    public static async Task<int> RunAsync(string[] args)
    {
        DemoOptions options;
        try
        {
            options = DemoOptions.Parse(args);
        }
        catch (Exception e) when (e is ArgumentException or FormatException)
        {
            Console.Error.WriteLine(e.Message);
            return 2;
        }

        Log.Logger = new LoggerConfiguration()
            .MinimumLevel.Is(options.Monitor && MonitorView.IsLive ? Serilog.Events.LogEventLevel.Warning : Serilog.Events.LogEventLevel.Information) // the live view owns the terminal
            .WriteTo.Console(outputTemplate: PumaLogTemplates.Console)
            .CreateLogger();
        try
        {
            return await RunPipelineAsync(options);
        }
        catch (PipelineSpecException e)
        {
            Console.Error.WriteLine(e.Message);
            return 2;
        }
        catch (RunnableFailedException e)
        {
            // A child that died (kill -9, a crash) has no stack worth printing: its exit says it all.
            Log.Fatal(e.InnerException is ChildProcessDiedException ? null : e.InnerException,
                "The pipeline failed: runnable {Failed} (pid {Pid}, {Placement}): {Reason}",
                e.RunnableName, e.ProcessId, e.Placement, e.InnerException?.Message);
            return 1;
        }
        finally
        {
            await Log.CloseAndFlushAsync();
        }
    }

    private static async Task<int> RunPipelineAsync(DemoOptions options)
    {
        PipelineSpec? spec = null;
        try
        {
            if (options.LoadPath is { } load)
                spec = await PipelineSpec.LoadAsync(load);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Console.Error.WriteLine($"--load {options.LoadPath}: {e.Message}");
            return 2;
        }
        // A hand-edited file may hold anything ("Runnables": null, [null]): refuse it with its problems before reading it.
        spec?.Validate();
        var clock = Stopwatch.StartNew();
        var clustered = spec?.Runnables?.Any(r => r.Placement == Puma.Runnables.Placement.Node) ?? (options.Placement == "cluster" && options.SavePath is null);
        await using var runtime = new PumaRuntime(new PumaOptions { Logger = Log.Logger, Cluster = clustered ? new PumaClusterOptions() : null });
        // Two node agents on 127.0.0.2 and 127.0.0.3 (two "machines" on loopback), stopped when the demo ends.
        await using var nodes = clustered ? await DemoNodes.StartAsync(runtime.ClusterAddress!) : null;
        if (spec is null)
            AddPipeline(runtime, options);
        else
            runtime.AddPipeline(spec);
        if (options.SavePath is { } save)
        {
            await runtime.ToSpec().SaveAsync(save);
            Console.WriteLine($"Saved the pipeline ({string.Join(", ", runtime.RunnableNames)}) to {save}");
            return 0;
        }

        var (count, frameSize, placement) = spec is null ? (options.Count, options.FrameSize, options.Placement) : DemoPipelineFile.Describe(runtime.ToSpec(), options);
        Log.Information("Puma demo: {Count} frames of {FrameSize} float samples, placement {Placement} ({Runnables})",
            count, frameSize, placement, string.Join(", ", runtime.Runnables.Select(r => $"{r.Name} {r.Placement}")));
        await runtime.StartAsync();
        var started = clock.Elapsed;
        var monitor = options.Monitor ? MonitorView.RunAsync(runtime, runtime.WaitAsync().ContinueWith(_ => { }, TaskScheduler.Default)) : Task.CompletedTask;

        // The status stream ends when the runtime has ended, also when a runnable failed or its process died:
        // then WaitAsync throws the failure.
        ConsumerSummary? summary = null;
        var gainSent = false;
        await foreach (var report in runtime.Status.ReadAllAsync())
        {
            if (report.Value is ConsumerProgress progress && !gainSent && progress.Frames >= count / 2 && runtime.RunnableNames.Contains("processor"))
            {
                gainSent = true;
                Log.Information("Halfway ({Frames} frames): sending SetGain(0.5) to the processor", progress.Frames);
                try
                {
                    await runtime.SendAsync("processor", new SetGain(0.5f));
                }
                catch (Puma.Runnables.RunnableNotRunningException e)
                {
                    Log.Warning("The processor takes no more commands: {Reason}", e.Message);
                }
            }
            if (report.Value is ConsumerSummary s)
            {
                summary = s;
                break;
            }
        }
        await monitor;
        await runtime.WaitAsync();
        var total = clock.Elapsed;

        if (summary is null)
        {
            Log.Error("The consumer ended without a summary");
            return 1;
        }
        var ok = summary.Frames == count && summary.OutOfOrder == 0 && summary.BadChecksums == 0;
        Console.WriteLine();
        Console.WriteLine($"Puma demo summary ({placement})");
        Console.WriteLine($"  frames        {summary.Frames:N0} of {count:N0}, {frameSize} samples each, out of order {summary.OutOfOrder}, bad checksums {summary.BadChecksums}");
        Console.WriteLine($"  throughput    {summary.Frames / summary.Seconds:N0} frames/s, {summary.Bytes / summary.Seconds / 1e6:N1} MB/s");
        Console.WriteLine($"  latency       mean {summary.MeanLatencyUs:N1} us, p50 {summary.P50LatencyUs:N1} us, p99 {summary.P99LatencyUs:N1} us (producer -> consumer)");
        Console.WriteLine($"  command       SetGain(0.5) sent halfway: first frame with the new gain #{summary.FirstFrameWithNewGain}, final gain {summary.LastGain}");
        Console.WriteLine($"  start-up      {started.TotalMilliseconds:N0} ms; total {total.TotalMilliseconds:N0} ms");
        if (clustered)
        {
            foreach (var runnable in runtime.Runnables)
                Console.WriteLine($"  {runnable.Name,-13} {runnable.Placement} {runnable.Node ?? runtime.ClusterAddress}, pid {runnable.ProcessId}");
        }
        Console.WriteLine($"  result        {(ok ? "OK" : "FAILED")}");
        return ok ? 0 : 1;
    }

    /// <summary>producer -> processor -> consumer as the command line describes it.</summary>
    private static void AddPipeline(PumaRuntime runtime, DemoOptions options)
    {
        var (producerAt, processorAt, consumerAt) = options.Placements;
        // Across processes a buffer is a ring bounded in bytes: size it for about as many frames as in-process.
        var ringBytes = 64L * (options.FrameSize * sizeof(float) + 64);
        var raw = runtime.CreateBuffer<Frame>("raw", 64, capacityBytes: ringBytes);
        var scaled = runtime.CreateBuffer<Frame>("scaled", 64, capacityBytes: ringBytes);
        var producer = new SignalProducer { Name = "producer", Output = raw.Writer, Count = options.Count, FrameSize = options.FrameSize };
        var processor = new GainProcessor { Name = "processor", Input = raw.Reader, Output = scaled.Writer, Gain = 2f };
        if (options.Placement == "cluster")
        {
            runtime.Add(producer, NodePlacement.WithRole(DemoNodes.ProducerRole));
            runtime.Add(processor, NodePlacement.WithRole(DemoNodes.ProcessorRole));
        }
        else
        {
            runtime.Add(producer, producerAt);
            runtime.Add(processor, processorAt);
        }
        runtime.Add(new VerifyingConsumer { Name = "consumer", Input = scaled.Reader }, consumerAt);
    }
}
