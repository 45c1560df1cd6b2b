using System.Diagnostics;
using System.Threading.Channels;

namespace Puma.Bench.Pipeline;

/// <summary>
/// The raw baseline: the same three stages as tasks in this process joined by bare bounded
/// <see cref="Channel{T}"/>s (single reader, single writer, the case's capacity). Each stage reads
/// with <c>TryRead</c> and awaits <c>WaitToReadAsync</c> only when empty, and writes with
/// <c>TryWrite</c>, awaiting <c>WriteAsync</c> only when full.
/// </summary>
internal sealed class ChannelPipeline : IPipelineImplementation
{
    /// <inheritdoc/>
    public string Name => "channels-threads";

    /// <inheritdoc/>
    public string Baseline => Name;

    /// <inheritdoc/>
    public PipelineRun RunOnce(PipelineCase @case) =>
        @case.Pooled ? Run<PooledMessage>(@case) : @case.IsLarge ? Run<LargeMessage>(@case) : Run<SmallMessage>(@case);

    private static PipelineRun Run<T>(PipelineCase @case) where T : IPipelineMessage<T>
    {
        var t0 = Stopwatch.GetTimestamp();
        var options = new BoundedChannelOptions(@case.Capacity) { SingleReader = true, SingleWriter = true, FullMode = BoundedChannelFullMode.Wait };
        var produced = Channel.CreateBounded<T>(options);
        var processed = Channel.CreateBounded<T>(options);
        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var producer = Task.Run(() => ProduceAsync(produced.Writer, @case, start.Task));
        var processor = Task.Run(() => ForwardAsync(produced.Reader, processed.Writer));
        var consumer = Task.Run(() => ConsumeAsync(processed.Reader));
        var setup = Stopwatch.GetElapsedTime(t0).TotalSeconds;
        start.SetResult();
        var totals = consumer.GetAwaiter().GetResult();
        var t2 = Stopwatch.GetTimestamp();
        Task.WhenAll(producer, processor).GetAwaiter().GetResult();
        return new PipelineRun(totals, setup, Stopwatch.GetElapsedTime(t2).TotalSeconds);
    }

    private static async Task ProduceAsync<T>(ChannelWriter<T> output, PipelineCase @case, Task start) where T : IPipelineMessage<T>
    {
        var payload = @case.PayloadBytes > 0 ? new byte[@case.PayloadBytes] : null;
        if (payload is not null) Random.Shared.NextBytes(payload);
        await start.ConfigureAwait(false);
        for (long seq = 0; seq < @case.Count; seq++)
        {
            var message = T.Create(seq, Stopwatch.GetTimestamp(), payload);
            if (!output.TryWrite(message))
                await output.WriteAsync(message).ConfigureAwait(false);
        }
        output.Complete();
    }

    private static async Task ForwardAsync<T>(ChannelReader<T> input, ChannelWriter<T> output)
    {
        while (await input.WaitToReadAsync().ConfigureAwait(false))
        {
            while (input.TryRead(out var message))
            {
                if (!output.TryWrite(message))
                    await output.WriteAsync(message).ConfigureAwait(false);
            }
        }
        output.Complete();
    }

    private static async Task<PipelineTotals> ConsumeAsync<T>(ChannelReader<T> input) where T : IPipelineMessage<T>
    {
        var tally = new PipelineTally();
        while (await input.WaitToReadAsync().ConfigureAwait(false))
        {
            while (input.TryRead(out var message))
            {
                tally.Add(message.Seq, message.Stamp, message.Size);
                message.Release();
            }
        }

        return tally.ToTotals();
    }
}
