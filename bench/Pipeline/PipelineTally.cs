using System.Diagnostics;

namespace Puma.Bench.Pipeline;

/// <summary>The consumer's running count: accumulates one message at a time, then gives <see cref="PipelineTotals"/>.</summary>
internal struct PipelineTally
{
    private long _messages, _bytes, _latencySum, _firstStamp, _lastArrival, _outOfOrder;

    /// <summary>Counts a message that just arrived.</summary>
    /// <param name="seq">Its sequence number (expected: 0, 1, 2, ...).</param>
    /// <param name="stamp">Its produce stamp.</param>
    /// <param name="bytes">Its size.</param>
    public void Add(long seq, long stamp, int bytes)
    {
        var now = Stopwatch.GetTimestamp();
        if (_messages == 0) _firstStamp = stamp;
        if (seq != _messages) _outOfOrder++;
        _messages++;
        _bytes += bytes;
        _latencySum += now - stamp;
        _lastArrival = now;
    }

    /// <summary>The totals so far.</summary>
    public readonly PipelineTotals ToTotals() => new(_messages, _bytes, _latencySum, _firstStamp, _lastArrival, _outOfOrder);
}
