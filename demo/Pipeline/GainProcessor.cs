using System.Threading.Channels;
using Puma.Runnables;

namespace Puma.Demo.Pipeline;

/// <summary>Multiplies every sample by Gain and keeps a moving RMS over the last frames.</summary>
public sealed class GainProcessor : Runnable
{
    private readonly Queue<double> _window = new();
    private double _windowSum;
    private long _frames;

    public required ChannelReader<Frame> Input { get; init; }

    public required ChannelWriter<Frame> Output { get; init; }

    public float Gain { get; set; } = 2f;

    public int RmsWindow { get; set; } = 64;

    protected override void Configure(Handlers on) => on
        .Input(Input, async (frame, ct) =>
        {
            var samples = frame.Samples;
            double energy = 0;
            for (var i = 0; i < samples.Length; i++)
            {
                samples[i] *= Gain;
                energy += samples[i] * samples[i];
            }
            var meanSquare = energy / Math.Max(1, samples.Length);
            _window.Enqueue(meanSquare);
            _windowSum += meanSquare;
            if (_window.Count > RmsWindow)
                _windowSum -= _window.Dequeue();
            _frames++;
            await Output.WriteAsync(frame with { Gain = Gain }, ct);
        })
        .Command<SetGain>(c =>
        {
            Log.Information("Gain {Old} -> {New} after {Frames} frames", Gain, c.Gain, _frames);
            Gain = c.Gain;
        })
        .Tick(TimeSpan.FromMilliseconds(500), () =>
            Log.Information("Moving RMS {Rms:F4} over {Window} frames, gain {Gain}", Math.Sqrt(Math.Max(0, _windowSum) / Math.Max(1, _window.Count)), _window.Count, Gain));
}
