using System.Diagnostics;
using System.Threading.Channels;
using Puma.Runnables;

namespace Puma.Demo.Pipeline;

/// <summary>Checks order and every sample of every frame, measures latency, and reports a summary.</summary>
public sealed class VerifyingConsumer : Runnable
{
    private readonly List<double> _latenciesUs = new();
    private long _frames, _bytes, _outOfOrder, _bad, _last = -1, _firstNewGain = -1, _started;
    private float _gain = float.NaN;

    public required ChannelReader<Frame> Input { get; init; }

    protected override void Configure(Handlers on) => on
        .Input(Input, frame =>
        {
            var now = Stopwatch.GetTimestamp();
            if (_started == 0)
                _started = now;
            if (frame.Seq != _last + 1)
                _outOfOrder++;
            _last = frame.Seq;
            if (!float.IsNaN(_gain) && frame.Gain != _gain && _firstNewGain < 0)
            {
                _firstNewGain = frame.Seq;
                Log.Information("Frame {Seq} is the first with gain {Gain} (was {Old})", frame.Seq, frame.Gain, _gain);
            }
            _gain = frame.Gain;
            var samples = frame.Samples;
            for (var i = 0; i < samples.Length; i++)
            {
                if (samples[i] != Frame.RawSample(frame.Seq, i) * frame.Gain)
                {
                    _bad++;
                    break;
                }
            }
            _frames++;
            _bytes += samples.Length * sizeof(float);
            if ((_frames & 7) == 0)
                _latenciesUs.Add(Stopwatch.GetElapsedTime(frame.SentTimestamp, now).TotalMicroseconds);
        })
        .InputCompleted(Input, error =>
        {
            if (error is not null)
                throw error;
            var seconds = _started == 0 ? 0 : Stopwatch.GetElapsedTime(_started).TotalSeconds;
            _latenciesUs.Sort();
            double Pct(double p) => _latenciesUs.Count == 0 ? 0 : _latenciesUs[(int)Math.Min(_latenciesUs.Count - 1, p * _latenciesUs.Count)];
            Context.ReportStatus(new ConsumerSummary(_frames, _bytes, seconds, _latenciesUs.Count == 0 ? 0 : _latenciesUs.Average(),
                Pct(0.5), Pct(0.99), _outOfOrder, _bad, _firstNewGain, _gain));
        })
        .Tick(TimeSpan.FromMilliseconds(100), () => Context.ReportStatus(new ConsumerProgress(_frames)));
}
