using System.Diagnostics;
using System.Threading.Channels;
using Puma.Runnables;

namespace Puma.Demo.Pipeline;

/// <summary>Emits Count frames of FrameSize samples.</summary>
public sealed class SignalProducer : Runnable
{
    private long _seq;

    public required ChannelWriter<Frame> Output { get; init; }

    public long Count { get; set; } = 20_000;

    public int FrameSize { get; set; } = 1024;

    protected override void Configure(Handlers on) => on.Produce(async ct =>
    {
        if (_seq >= Count)
        {
            Log.Information("Produced {Frames} frames of {FrameSize} samples", Count, FrameSize);
            return false;
        }
        var samples = new float[FrameSize];
        for (var i = 0; i < samples.Length; i++)
            samples[i] = Frame.RawSample(_seq, i);
        await Output.WriteAsync(new Frame(_seq++, Stopwatch.GetTimestamp(), 1f, samples), ct);
        return true;
    });
}
