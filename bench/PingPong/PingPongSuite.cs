using System.Diagnostics;
using Puma.Bench.Harness;

namespace Puma.Bench.PingPong;

/// <summary>
/// The <c>pingpong</c> suite, after Akka.NET's PingPong benchmark: 2 x cores pairs of actors in
/// this process, 1000 messages in flight per pair, every message handled counted (both
/// directions), for per-turn batch sizes 1, 10, 30 and 100; messages/s, median of the repeats.
/// Each repeat starts fresh actors, lets them run a warm-up period, then counts over the window.
/// </summary>
internal sealed class PingPongSuite : ISuite
{
    /// <summary>Messages circulating in each pair.</summary>
    public const int InFlight = 1000;

    /// <summary>The per-turn batch sizes swept.</summary>
    public static readonly int[] Batches = [1, 10, 30, 100];

    /// <summary>The implementations measured, baseline first (the ratio column divides by it).</summary>
    public static IReadOnlyList<IPingPongImplementation> Implementations { get; } =
    [
        new RawChannelPingPong(bounded: true),
        new RawChannelPingPong(bounded: false),
        new PumaPingPong(),
        new AkkaPingPong(),
        new ProtoActorPingPong(),
    ];

    /// <inheritdoc/>
    public string Name => "pingpong";

    /// <inheritdoc/>
    public string Description => "in-process actor ping-pong (Akka.NET methodology): raw System.Threading.Channels, Puma runnables, Akka.NET and Proto.Actor actors";

    /// <inheritdoc/>
    public IReadOnlyList<Measurement> Run(CliOptions options, TextWriter output)
    {
        var pairs = 2 * Environment.ProcessorCount;
        var warmUp = options.Quick ? TimeSpan.FromMilliseconds(100) : TimeSpan.FromMilliseconds(500);
        var window = options.Quick ? TimeSpan.FromMilliseconds(200) : TimeSpan.FromSeconds(1);
        var rows = new List<Measurement>();
        foreach (var batch in Batches)
        {
            var caseName = $"batch={batch}";
            if (!options.IncludesCase(caseName) && !options.IncludesCase(batch.ToString(System.Globalization.CultureInfo.InvariantCulture))) continue;
            foreach (var impl in Implementations.Where(i => options.Includes(i.Name)))
            {
                output.Write($"  {caseName,-10} {impl.Name,-20} ");
                Measurement m;
                try
                {
                    var samples = new List<double>();
                    for (var r = 0; r < options.Repeats; r++)
                        samples.Add(MeasureOnce(impl, pairs, batch, warmUp, window));
                    m = new Measurement(Name, caseName, impl.Name, "throughput", "msg/s", samples);
                    output.WriteLine($"{ResultTable.Format(m.Value)} msg/s");
                }
                catch (Exception e) when (e is not OutOfMemoryException)
                {
                    m = Measurement.Failed(Name, caseName, impl.Name, "throughput", "msg/s", $"{e.GetType().Name}: {e.Message}");
                    output.WriteLine($"FAILED: {m.Error}");
                }
                rows.Add(m);
            }
        }
        output.WriteLine();
        ResultTable.Write(output,
            $"pingpong: {pairs} pairs (2 x {Environment.ProcessorCount} cores), {InFlight} msgs in flight per pair, both directions counted, " +
            $"batch = messages per actor turn; median of {options.Repeats} repeats{(options.Quick ? " (--quick)" : "")}",
            rows, Implementations[0].Name, "implementation");
        return rows;
    }

    private static double MeasureOnce(IPingPongImplementation impl, int pairs, int batch, TimeSpan warmUp, TimeSpan window)
    {
        var run = impl.Start(pairs, InFlight, batch);
        try
        {
            Thread.Sleep(warmUp);
            var c0 = run.MessagesHandled;
            var t0 = Stopwatch.GetTimestamp();
            Thread.Sleep(window);
            var c1 = run.MessagesHandled;
            var seconds = Stopwatch.GetElapsedTime(t0).TotalSeconds;
            return (c1 - c0) / seconds;
        }
        finally
        {
            run.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }
    }
}
