using System.Threading.Channels;
using Puma.Runnables;

namespace Puma.Bench.Pipeline;

/// <summary>
/// The sink stage: counts every message (sequence, size, latency from its produce stamp) and, when
/// its input completes, reports the <see cref="PipelineTotals"/> as its status.
/// </summary>
/// <typeparam name="T">The message type.</typeparam>
public abstract class PipelineConsumer<T> : Runnable where T : IPipelineMessage<T>
{
    private PipelineTally _tally;

    /// <summary>The input port.</summary>
    public required ChannelReader<T> Input { get; init; }

    /// <inheritdoc/>
    protected override void Configure(Handlers on)
    {
        _tally = default;
        on.Input(Input, message =>
          {
              _tally.Add(message.Seq, message.Stamp, message.Size);
              message.Release();
          })
          .InputCompleted(Input, error =>
          {
              if (error is not null) throw new InvalidOperationException("the consumer's input failed", error);
              Context.ReportStatus(_tally.ToTotals());
          })
          .Request<StageReady, bool>(_ => true);
    }
}

/// <summary>The consumer of <see cref="SmallMessage"/>s.</summary>
public sealed class SmallConsumer : PipelineConsumer<SmallMessage>;

/// <summary>The consumer of <see cref="LargeMessage"/>s.</summary>
public sealed class LargeConsumer : PipelineConsumer<LargeMessage>;

/// <summary>The consumer of <see cref="PooledMessage"/>s.</summary>
public sealed class PooledConsumer : PipelineConsumer<PooledMessage>;
