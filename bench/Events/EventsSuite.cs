using System.Diagnostics;
using Puma.Bench.Harness;
using Puma.Bench.Pipeline;
using Puma.Runnables;
using Puma.Runtime;

namespace Puma.Bench.Events;

/// <summary>
/// The <c>events</c> suite: the wake-up latency of a <see cref="Puma.Buffers.PumaEvent"/>, one way (half a round trip),
/// p50 and p99, between the bench and a runnable in a thread (<c>*-thread</c> cases) or a child process
/// (<c>*-process</c>). <c>wake</c>: back-to-back ping-pong, so the waiter is usually still spinning when the Set
/// comes; <c>parked</c>: each side spins <see cref="ParkDelayUs"/> µs before replying, so the other side's waiter
/// has parked on the futex, and the figure is (round trip - delay) / 2. Baseline: the same ping-pong with a byte
/// through two FIFOs (<c>pipe</c>), where every wait blocks in the kernel. <c>handler</c>: the far side is a loop's
/// <c>on.Event</c> handler (its loop parks, so each ping goes through the event's waiter thread and a loop wake-up).
/// </summary>
internal sealed class EventsSuite : ISuite
{
    /// <summary>The delay of the parked cases: well past a waiter's 20 µs spin.</summary>
    public const int ParkDelayUs = 100;

    /// <inheritdoc/>
    public string Name => "events";

    /// <inheritdoc/>
    public string Description => "PumaEvent wake-up latency, one way, p50/p99: thread and process, spinning and parked waiter; pipe byte baseline";

    /// <inheritdoc/>
    public IReadOnlyList<Measurement> Run(CliOptions options, TextWriter output)
    {
        var repeats = Math.Max(options.Repeats, 3);
        var rows = new List<Measurement>();
        var cases = new SuiteCases(Name, output, 6);
        foreach (var (mode, delayUs, rounds) in new[] { ("wake", 0, options.Quick ? 5_000 : 50_000), ("parked", ParkDelayUs, options.Quick ? 500 : 5_000), ("handler", 0, options.Quick ? 2_000 : 20_000) })
        {
            foreach (var placement in new[] { Placement.Thread, Placement.Process })
            {
                var caseName = $"{mode}-{(placement == Placement.Thread ? "thread" : "process")}";
                if (!options.IncludesCase(caseName))
                    continue;
                foreach (var transport in new[] { "event", "pipe" })
                {
                    if (options.Includes(transport) && (mode != "handler" || transport == "event"))
                        rows.AddRange(cases.Guard(caseName, transport, "p50", "us", () => Measure(caseName, transport, placement, delayUs, rounds, repeats)));
                }
            }
        }

        output.WriteLine();
        ResultTable.Write(output, $"events: wake-up latency one way (round trip / 2), median of {repeats} rounds' percentiles (after one warm-up)", rows, "pipe");
        return rows;
    }

    private IEnumerable<Measurement> Measure(string caseName, string transport, Placement placement, int delayUs, int rounds, int repeats)
    {
        var directory = Directory.CreateTempSubdirectory("puma-bench-events-");
        var runtime = new PumaRuntime(new PumaOptions { Logger = Serilog.Core.Logger.None });
        IPinger? pinger = null;
        try
        {
            if (transport == "event")
            {
                var ping = runtime.CreateEvent("ping");
                var pong = runtime.CreateEvent("pong");
                runtime.Add(caseName.StartsWith("handler", StringComparison.Ordinal)
                    ? new HandlerPonger { Name = "ponger", Ping = ping, Pong = pong }
                    : new EventPonger { Name = "ponger", Ping = ping, Pong = pong, DelayUs = delayUs }, placement);
                runtime.StartAsync().GetAwaiter().GetResult();
                pinger = new EventPinger(ping, pong);
            }
            else
            {
                var pingPath = Path.Combine(directory.FullName, "ping");
                var pongPath = Path.Combine(directory.FullName, "pong");
                Fifo.Create(pingPath);
                Fifo.Create(pongPath);
                runtime.Add(new PipePonger { Name = "ponger", PingPath = pingPath, PongPath = pongPath, DelayUs = delayUs }, placement);
                runtime.StartAsync().GetAwaiter().GetResult();
                pinger = Task.Run(() => new PipePinger(pingPath, pongPath)).WaitAsync(TimeSpan.FromSeconds(30)).GetAwaiter().GetResult();
            }

            var delayTicks = delayUs * Stopwatch.Frequency / 1_000_000;
            var latencies = new long[rounds];
            var p50 = new List<double>();
            var p99 = new List<double>();
            for (var round = -1; round < repeats; round++) // round -1 is the warm-up
            {
                for (var i = 0; i < rounds; i++)
                {
                    var t0 = Stopwatch.GetTimestamp();
                    pinger.Round();
                    latencies[i] = (Stopwatch.GetTimestamp() - t0 - delayTicks) / 2;
                    SpinDelay.For(delayUs); // the ponger parks meanwhile
                }

                if (round < 0) continue;
                Array.Sort(latencies);
                p50.Add(Statistics.PercentileOfSorted(latencies, 50) * 1e6 / Stopwatch.Frequency);
                p99.Add(Statistics.PercentileOfSorted(latencies, 99) * 1e6 / Stopwatch.Frequency);
            }

            return [new Measurement(Name, caseName, transport, "p50", "us", p50), new Measurement(Name, caseName, transport, "p99", "us", p99)];
        }
        finally
        {
            pinger?.Dispose(); // the pipe ponger reads end of file and ends
            runtime.DisposeAsync().AsTask().GetAwaiter().GetResult();
            directory.Delete(recursive: true);
        }
    }
}
