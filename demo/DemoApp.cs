using System.Diagnostics;
using Puma.Demo.Monitor;
using Puma.Demo.Pipeline;
using Puma.Logging;
using Puma.Runtime;
using Puma.Runtime.Cluster;
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
        var (producerAt, processorAt, consumerAt) = options.Placements;
        var clock = Stopwatch.StartNew();
        var clustered = options.Placement == "cluster";
        await using var runtime = new PumaRuntime(new PumaOptions { Logger = Log.Logger, Cluster = clustered ? new PumaClusterOptions() : null });
        // Two node agents on 127.0.0.2 and 127.0.0.3 (two "machines" on loopback), stopped when the demo ends.
        await using var nodes = clustered ? await DemoNodes.StartAsync(runtime.ClusterAddress!) : null;
        // Across processes a buffer is a ring bounded in bytes: size it for about as many frames as in-process.
        var ringBytes = 64L * (options.FrameSize * sizeof(float) + 64);
        var raw = runtime.CreateBuffer<Frame>("raw", 64, capacityBytes: ringBytes);
        var scaled = runtime.CreateBuffer<Frame>("scaled", 64, capacityBytes: ringBytes);
        var producer = new SignalProducer { Name = "producer", Output = raw.Writer, Count = options.Count, FrameSize = options.FrameSize };
        var processor = new GainProcessor { Name = "processor", Input = raw.Reader, Output = scaled.Writer, Gain = 2f };
        if (clustered)
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
        Log.Information("Puma demo: {Count} frames of {FrameSize} float samples, placement {Placement} (producer {P}, processor {Q}, consumer {C})",
            options.Count, options.FrameSize, options.Placement, producerAt, processorAt, consumerAt);
        await runtime.StartAsync();
        var started = clock.Elapsed;
        var monitor = options.Monitor ? MonitorView.RunAsync(runtime, runtime.WaitAsync().ContinueWith(_ => { }, TaskScheduler.Default)) : Task.CompletedTask;

        // The status stream ends when the runtime has ended, also when a runnable failed or its process died:
        // then WaitAsync throws the failure.
        ConsumerSummary? summary = null;
        var gainSent = false;
        await foreach (var report in runtime.Status.ReadAllAsync())
        {
            if (report.Value is ConsumerProgress progress && !gainSent && progress.Frames >= options.Count / 2)
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
        var ok = summary.Frames == options.Count && summary.OutOfOrder == 0 && summary.BadChecksums == 0;
        Console.WriteLine();
        Console.WriteLine($"Puma demo summary ({options.Placement})");
        Console.WriteLine($"  frames        {summary.Frames:N0} of {options.Count:N0}, {options.FrameSize} samples each, out of order {summary.OutOfOrder}, bad checksums {summary.BadChecksums}");
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
}
