using System.Threading.Channels;
using Puma.Runnables;
using Puma.Runtime.Tests.Runnables;

namespace Puma.Runtime.Tests.Pipelines;

/// <summary>What a <see cref="TallyConsumer"/> saw: how many frames, the sum of their values, whether Seq only grew.</summary>
public sealed record Tally(string Reader, long Count, double ValueSum, bool InOrder);

/// <summary>Writes Count frames; frame n has Value n * Gain + Offsets[n % Offsets.Length] (configuration of several JSON kinds).</summary>
public sealed class SpecSource : Runnable
{
    private long _next;

    public required ChannelWriter<Frame> Output { get; init; }

    public long Count { get; set; } = 10;

    public double Gain { get; set; } = 1;

    public int[] Offsets { get; set; } = [0];

    public string Label { get; set; } = "";

    public TimeSpan Pause { get; set; }

    /// <summary>Not used: an enum, which a spec writes as a name.</summary>
    public DayOfWeek Day { get; set; } = DayOfWeek.Monday;

    protected override void Configure(Handlers on) => on.Produce(async ct =>
    {
        if (_next >= Count)
            return false;
        if (Pause > TimeSpan.Zero)
            await Task.Delay(Pause, ct);
        await Output.WriteAsync(new Frame(_next, _next * Gain + Offsets[_next % Offsets.Length]), ct);
        _next++;
        return true;
    });
}

/// <summary>Counts and sums its input; when the input completes, reports a <see cref="Tally"/> as its status.</summary>
public sealed class TallyConsumer : Runnable
{
    private long _count, _last = -1;
    private double _sum;
    private bool _inOrder = true;

    public required ChannelReader<Frame> Input { get; init; }

    protected override void Configure(Handlers on) => on
        .Input(Input, frame =>
        {
            _inOrder &= frame.Seq > _last;
            _last = frame.Seq;
            _count++;
            _sum += frame.Value;
        })
        .InputCompleted(Input, error =>
        {
            if (error is not null)
                throw error;
            Context.ReportStatus(new Tally(Name, _count, _sum, _inOrder));
        });
}

/// <summary>Has a required setting and no ports: its loop waits for Stop.</summary>
public sealed class Labelled : Runnable
{
    public required string Label { get; init; }

    public int Repeat { get; set; } = 1;
}
