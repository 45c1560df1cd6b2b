using System.Diagnostics;
using System.Threading.Channels;
using Puma.Runnables;
using Puma.Runtime;

namespace Puma.Bench.Pipeline;

/// <summary>
/// The pipeline through the Puma runtime: <see cref="PipelineProducer{T}"/> ->
/// <see cref="PipelineProcessor{T}"/> -> <see cref="PipelineConsumer{T}"/> joined by two buffers
/// made with <c>runtime.CreateBuffer</c>, every stage with the same placement: in threads the
/// buffers are in-process channels; in processes every stage is a child process of its own (a
/// 3-process pipeline besides this supervisor) and the buffers are shared-memory rings.
/// Setup is <c>new PumaRuntime</c> .. <c>StartAsync</c> returned and every stage answered a
/// <see cref="StageReady"/> request (<c>StartAsync</c> returns before child processes run); the producer then gets
/// <see cref="StartProducing"/>; teardown is from the consumer's totals arriving (its status) to
/// <c>WaitAsync</c> and <c>DisposeAsync</c> returned.
/// </summary>
/// <param name="placement">Where every stage runs.</param>
/// <param name="metrics">
/// <see cref="PumaOptions.Metrics"/>: the <c>-nometrics</c> variants turn the counting off, the A/B that measures
/// what the metrics cost.
/// </param>
internal sealed class PumaPipeline(Placement placement, bool metrics = true) : IPipelineImplementation
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(120);

    /// <inheritdoc/>
    public string Name => (placement == Placement.Thread ? "puma-threads" : "puma-processes") + (metrics ? "" : "-nometrics");

    /// <inheritdoc/>
    public string Baseline => "channels-threads";

    /// <inheritdoc/>
    public PipelineRun RunOnce(PipelineCase @case) => (@case.Leased
        ? RunAsync<byte[]>(@case,
            output => new LeasedPipelineProducer { Name = "producer", Output = output, Count = @case.Count, PayloadBytes = @case.PayloadBytes },
            (input, output) => new LeasedPipelineProcessor { Name = "processor", Input = input, Output = output },
            input => new LeasedPipelineConsumer { Name = "consumer", Input = input })
        : @case.Pooled
        ? RunAsync<PooledMessage>(@case,
            output => new PooledProducer { Name = "producer", Output = output, Count = @case.Count, PayloadBytes = @case.PayloadBytes },
            (input, output) => new PooledProcessor { Name = "processor", Input = input, Output = output },
            input => new PooledConsumer { Name = "consumer", Input = input })
        : @case.IsLarge
        ? RunAsync<LargeMessage>(@case,
            output => new LargeProducer { Name = "producer", Output = output, Count = @case.Count, PayloadBytes = @case.PayloadBytes },
            (input, output) => new LargeProcessor { Name = "processor", Input = input, Output = output },
            input => new LargeConsumer { Name = "consumer", Input = input })
        : RunAsync<SmallMessage>(@case,
            output => new SmallProducer { Name = "producer", Output = output, Count = @case.Count },
            (input, output) => new SmallProcessor { Name = "processor", Input = input, Output = output },
            input => new SmallConsumer { Name = "consumer", Input = input }))
        .GetAwaiter().GetResult();

    private async Task<PipelineRun> RunAsync<T>(PipelineCase @case,
        Func<ChannelWriter<T>, Runnable> producer, Func<ChannelReader<T>, ChannelWriter<T>, Runnable> processor, Func<ChannelReader<T>, Runnable> consumer)
    {
        var t0 = Stopwatch.GetTimestamp();
        var runtime = new PumaRuntime(new PumaOptions { StopTimeout = TimeSpan.FromSeconds(10), Metrics = metrics });
        try
        {
            var produced = runtime.CreateBuffer<T>("produced", @case.Capacity, capacityBytes: @case.CapacityBytes);
            var processed = runtime.CreateBuffer<T>("processed", @case.Capacity, capacityBytes: @case.CapacityBytes);
            runtime.Add(producer(produced.Writer), placement);
            runtime.Add(processor(produced.Reader, processed.Writer), placement);
            runtime.Add(consumer(processed.Reader), placement);
            await runtime.StartAsync().ConfigureAwait(false);
            foreach (var stage in (string[])["producer", "processor", "consumer"])
                await runtime.AskAsync<bool>(stage, new StageReady()).WaitAsync(Patience).ConfigureAwait(false);
            var setup = Stopwatch.GetElapsedTime(t0).TotalSeconds;

            var ended = runtime.WaitAsync();
            await runtime.SendAsync("producer", new StartProducing()).ConfigureAwait(false);
            var totals = await TotalsAsync(runtime, ended).ConfigureAwait(false);
            var t2 = Stopwatch.GetTimestamp();
            await ended.WaitAsync(Patience).ConfigureAwait(false);
            await runtime.DisposeAsync().ConfigureAwait(false);
            return new PipelineRun(totals, setup, Stopwatch.GetElapsedTime(t2).TotalSeconds);
        }
        finally
        {
            await runtime.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <summary>Waits for the consumer's totals; fails when the runtime ends (a failure) before they come.</summary>
    private static async Task<PipelineTotals> TotalsAsync(PumaRuntime runtime, Task ended)
    {
        using var cts = new CancellationTokenSource(Patience);
        var reading = ReadTotalsAsync(runtime, cts.Token);
        var first = await Task.WhenAny(reading, ended).ConfigureAwait(false);
        if (first == ended) await ended.ConfigureAwait(false); // throws the failure, if any
        return await reading.WaitAsync(TimeSpan.FromSeconds(10)).ConfigureAwait(false);
    }

    private static async Task<PipelineTotals> ReadTotalsAsync(PumaRuntime runtime, CancellationToken cancellationToken)
    {
        await foreach (var report in runtime.Status.ReadAllAsync(cancellationToken).ConfigureAwait(false))
        {
            if (report.Value is PipelineTotals totals)
                return totals;
        }

        throw new InvalidOperationException("the status stream ended before the consumer reported its totals");
    }
}
