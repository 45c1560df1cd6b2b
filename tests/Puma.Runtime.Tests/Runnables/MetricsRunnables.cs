using System.Threading.Channels;
using Puma.Runnables;

namespace Puma.Runtime.Tests.Runnables;

/// <summary>A fixed-size item: 16 bytes in a channel and on a ring alike.</summary>
public readonly record struct Sample(long Seq, double Value);

/// <summary>Writes Count samples 0..Count-1, then completes.</summary>
public sealed class SampleSource : Runnable
{
    private long _next;

    public required ChannelWriter<Sample> Output { get; init; }

    public long Count { get; set; } = 100;

    protected override void Configure(Handlers on) => on
        .Produce(async ct =>
        {
            if (_next >= Count)
                return false;
            await Output.WriteAsync(new Sample(_next, _next), ct);
            _next++;
            return true;
        });
}

/// <summary>Forwards each sample; throws once on sample FailAt in its first run (for restart tests).</summary>
public sealed class SampleForwarder : Runnable
{
    public required ChannelReader<Sample> Input { get; init; }

    public required ChannelWriter<Sample> Output { get; init; }

    public long FailAt { get; set; } = -1;

    protected override void Configure(Handlers on) => on
        .Input(Input, async (sample, ct) =>
        {
            if (sample.Seq == FailAt && Context.RestartCount == 0)
                throw new InvalidOperationException($"forwarder failed at sample {sample.Seq}");
            await Output.WriteAsync(sample, ct);
        });
}

/// <summary>Counts the samples it reads and reports the count as its status when its input completes.</summary>
public sealed class SampleSink : Runnable
{
    private long _count;

    public required ChannelReader<Sample> Input { get; init; }

    protected override void Configure(Handlers on) => on
        .Input(Input, _ => _count++)
        .InputCompleted(Input, _ => Context.ReportStatus(_count));
}

/// <summary>Busy from its start until it is stopped or killed: its one produce step never completes.</summary>
public sealed class BusyForever : Runnable
{
    protected override void Configure(Handlers on) => on
        .Produce(async ct =>
        {
            await Task.Delay(Timeout.Infinite, ct);
            return false;
        });
}
