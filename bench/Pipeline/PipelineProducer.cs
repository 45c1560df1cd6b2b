using System.Diagnostics;
using System.Threading.Channels;
using Puma.Buffers;
using Puma.Runnables;

namespace Puma.Bench.Pipeline;

/// <summary>
/// The source stage: on <see cref="StartProducing"/>, writes <see cref="Count"/> messages numbered
/// from 0, each stamped with <see cref="Stopwatch.GetTimestamp"/> as it is made; the large case
/// reuses one payload array (a producer filling a buffer it owns). Its output completes when it ends.
/// </summary>
/// <typeparam name="T">The message type.</typeparam>
public abstract class PipelineProducer<T> : Runnable where T : IPipelineMessage<T>
{
    private TaskCompletionSource _start = new();

    /// <summary>The output port.</summary>
    public required ChannelWriter<T> Output { get; init; }

    /// <summary>Messages to write.</summary>
    public long Count { get; set; }

    /// <summary>Payload bytes per message (0: no payload).</summary>
    public int PayloadBytes { get; set; }

    /// <inheritdoc/>
    protected override void Configure(Handlers on)
    {
        _start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        on.Command<StartProducing>(_ => _start.TrySetResult())
          .Request<StageReady, bool>(_ => true);
    }

    /// <inheritdoc/>
    protected override async Task RunAsync(CancellationToken cancellationToken)
    {
        var payload = PayloadBytes > 0 ? new byte[PayloadBytes] : null;
        if (payload is not null) Random.Shared.NextBytes(payload);
        await _start.Task.WaitAsync(cancellationToken);
        var output = Output;
        using var batch = output.BeginBatch(); // across processes the items reach the processor as blocks
        for (long seq = 0; seq < Count; seq++)
        {
            var message = T.Create(seq, Stopwatch.GetTimestamp(), payload);
            if (!output.TryWrite(message))
                await output.WriteAsync(message, cancellationToken);
        }
    }
}

/// <summary>The producer of <see cref="SmallMessage"/>s.</summary>
public sealed class SmallProducer : PipelineProducer<SmallMessage>;

/// <summary>The producer of <see cref="LargeMessage"/>s.</summary>
public sealed class LargeProducer : PipelineProducer<LargeMessage>;

/// <summary>The producer of <see cref="PooledMessage"/>s.</summary>
public sealed class PooledProducer : PipelineProducer<PooledMessage>;
