using System.Threading.Channels;
using Puma.Runnables;

namespace Puma.Bench.Pipeline;

/// <summary>
/// The sink stage of the leased case: counts every frame from its lease (no copy, no allocation)
/// and, when its input completes, reports the <see cref="PipelineTotals"/> as its status.
/// </summary>
public sealed class LeasedPipelineConsumer : Runnable
{
    private PipelineTally _tally;

    /// <summary>The input port.</summary>
    public required ChannelReader<byte[]> Input { get; init; }

    /// <inheritdoc/>
    protected override void Configure(Handlers on)
    {
        _tally = default;
        on.InputLeased(Input, frame => _tally.Add(LeasedFrame.Seq(frame), LeasedFrame.Stamp(frame), frame.Length - LeasedFrame.HeaderBytes))
          .InputCompleted(Input, error =>
          {
              if (error is not null) throw new InvalidOperationException("the consumer's input failed", error);
              Context.ReportStatus(_tally.ToTotals());
          })
          .Request<StageReady, bool>(_ => true);
    }
}
