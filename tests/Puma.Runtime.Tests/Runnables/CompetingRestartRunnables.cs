using System.Threading.Channels;
using Puma.Runnables;

namespace Puma.Runtime.Tests.Runnables;

/// <summary>
/// A competing reader that forwards every frame with <c>Value = Id + 100 * RestartCount</c> (which
/// worker handled it, in which run). While handling frame FailAt in a run with
/// <c>RestartCount &lt; FailRuns</c> it reports the status "failing {Name} {Seq} {RestartCount}" and throws,
/// so with the default FailRuns = 1 it throws at most once, whatever the number of restarts.
/// </summary>
public sealed class FlakyCompetingWorker : Runnable
{
    public required ChannelReader<Frame> Input { get; init; }

    public required ChannelWriter<Frame> Output { get; init; }

    public int Id { get; set; }

    public long FailAt { get; set; } = -1;

    public int FailRuns { get; set; } = 1;

    protected override void Configure(Handlers on) => on
        .Input(Input, async (frame, ct) =>
        {
            if (frame.Seq == FailAt && Context.RestartCount < FailRuns)
            {
                Context.ReportStatus($"failing {Name} {frame.Seq} {Context.RestartCount}");
                throw new InvalidOperationException($"{Name} failed at frame {frame.Seq} in run {Context.RestartCount}");
            }
            await Output.WriteAsync(frame with { Value = Id + 100 * Context.RestartCount }, ct);
        });
}
