using System.Diagnostics;

namespace Puma.Runtime.Metrics;

/// <summary>
/// A CPU percentage from two readings of a busy time (a process's CPU time, or a loop's handler time): the busy time
/// between them over the wall time between them. A reading less than <see cref="MinimumWindow"/> after the previous
/// one returns the previous value, so that observers polling several instruments at once see one steady figure.
/// </summary>
internal sealed class CpuSampler
{
    /// <summary>The shortest window a percentage is computed over.</summary>
    public static readonly TimeSpan MinimumWindow = TimeSpan.FromMilliseconds(200);

    private readonly object _gate = new();
    private long _lastTimestamp;
    private TimeSpan _lastBusy;
    private int _lastSource = -1;
    private double _value;

    /// <summary>
    /// The percentage of one core that <paramref name="busy"/> grew by since the previous sample of the same
    /// <paramref name="source"/> (a process id; a new source starts a new window and reads 0).
    /// </summary>
    public double Sample(int source, TimeSpan busy)
    {
        lock (_gate)
        {
            var now = Stopwatch.GetTimestamp();
            if (source != _lastSource || busy < _lastBusy)
            {
                _lastSource = source;
                _lastTimestamp = now;
                _lastBusy = busy;
                _value = 0;
                return 0;
            }
            var wall = Stopwatch.GetElapsedTime(_lastTimestamp, now);
            if (wall < MinimumWindow)
                return _value;
            _value = Math.Max(0, (busy - _lastBusy) / wall * 100);
            _lastTimestamp = now;
            _lastBusy = busy;
            return _value;
        }
    }
}
