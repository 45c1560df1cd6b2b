using Puma.Bench.Harness;
using Puma.Runnables;

namespace Puma.Bench.Pipeline;

/// <summary>
/// The <c>pipeline</c> suite: producer -> identity processor -> consumer, through raw channels in
/// threads and through the Puma runtime in threads and in processes, for 100k small messages and
/// 1000 messages of 1 MiB. Per repeat (after one warm-up repeat): messages/s and MB/s from the
/// first produce stamp to the last arrival, mean end-to-end latency (arrival minus produce stamp),
/// setup and teardown times, all medians of the repeats. Every message is counted and its sequence
/// checked by the consumer.
/// </summary>
internal sealed class PipelineSuite : ISuite
{
    /// <summary>The implementations measured; each names its ratio baseline.</summary>
    public static IReadOnlyList<IPipelineImplementation> Implementations { get; } =
    [
        new ChannelPipeline(),
        new PumaPipeline(Placement.Thread),
        new PumaPipeline(Placement.Process),
        new PumaPipeline(Placement.Thread, metrics: false),
        new PumaPipeline(Placement.Process, metrics: false),
        new PipePipeline(),
        new NetMqPipeline(),
    ];

    /// <inheritdoc/>
    public string Name => "pipeline";

    /// <inheritdoc/>
    public string Description => "producer -> processor -> consumer: raw channels, Puma in threads, Puma in 3 child processes (each also with metrics off: the -nometrics A/B), named pipes between 3 child processes, NetMQ PUSH/PULL between 3 child processes";

    /// <inheritdoc/>
    public IReadOnlyList<Measurement> Run(CliOptions options, TextWriter output)
    {
        var rows = new List<Measurement>();
        foreach (var @case in PipelineCase.All(options.Quick).Where(c => options.IncludesCase(c.Name)))
        {
            foreach (var impl in Implementations.Where(i => options.Includes(i.Name)))
            {
                output.Write($"  {@case.Name,-9} {impl.Name,-16} ");
                var started = DateTime.UtcNow;
                var result = Measure(impl, @case, options.Repeats);
                rows.AddRange(result);
                output.WriteLine(string.Join("  ", result.Select(m => m.Error is null
                    ? $"{m.Metric} {ResultTable.Format(m.Value)} {m.Unit}"
                    : $"FAILED: {m.Error}").Distinct()) + $"  ({(DateTime.UtcNow - started).TotalSeconds:0.0}s)");
            }
        }
        output.WriteLine();
        ResultTable.Write(output,
            $"pipeline: producer -> identity processor -> consumer; small = {PipelineCase.All(options.Quick)[0].Count:N0} x 16 B, " +
            $"1m = {PipelineCase.All(options.Quick)[1].Count:N0} x 1 MiB (MB = 1e6 B), a new array per decode; 1m-pooled = the same with pooled payloads; 1m-leased = Puma's stages on the leased path (claimed output, InputLeased input), the others as 1m-pooled; puma-processes = each stage in its own child process; " +
            $"latency = mean of (arrival - produce stamp); setup = new runtime .. StartAsync and every stage answered a request, teardown = consumer done .. WaitAsync + DisposeAsync; " +
            $"median of {options.Repeats} repeats after a warm-up{(options.Quick ? " (--quick)" : "")}",
            rows, Implementations[0].Name, "implementation");
        return rows;
    }

    private static readonly (string Metric, string Unit)[] Metrics =
    [
        ("throughput", "msg/s"), ("bandwidth", "MB/s"), ("latency", "us"), ("setup", "ms"), ("teardown", "ms"), ("setup+teardown", "ms"),
    ];

    private IReadOnlyList<Measurement> Measure(IPipelineImplementation impl, PipelineCase @case, int repeats)
    {
        var samples = Metrics.Select(_ => new List<double>()).ToArray();
        try
        {
            for (var r = 0; r <= repeats; r++)
            {
                var run = impl.RunOnce(@case);
                var t = run.Totals;
                if (t.Messages != @case.Count || t.OutOfOrder != 0)
                    throw new InvalidDataException($"the consumer received {t.Messages} messages ({t.OutOfOrder} out of order), expected {@case.Count} in order");
                if (r == 0) continue; // warm-up
                samples[0].Add(t.Messages / t.Seconds);
                samples[1].Add(t.Bytes / t.Seconds / 1e6);
                samples[2].Add(t.MeanLatencyMicroseconds);
                samples[3].Add(run.SetupSeconds * 1e3);
                samples[4].Add(run.TeardownSeconds * 1e3);
                samples[5].Add((run.SetupSeconds + run.TeardownSeconds) * 1e3);
            }
            return Metrics.Select((m, i) => new Measurement(Name, @case.Name, impl.Name, m.Metric, m.Unit, samples[i])).ToList();
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            var error = $"{e.GetType().Name}: {e.Message}".ReplaceLineEndings(" ");
            return Metrics.Select(m => Measurement.Failed(Name, @case.Name, impl.Name, m.Metric, m.Unit, error)).ToList();
        }
    }
}
