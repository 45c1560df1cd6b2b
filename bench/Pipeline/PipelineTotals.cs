using System.Diagnostics;

namespace Puma.Bench.Pipeline;

/// <summary>
/// What the consumer of a pipeline counted: messages and bytes received, the sum of their
/// end-to-end latencies (arrival minus produce stamp) and the window from the first message's
/// produce stamp to the last arrival, all in <see cref="Stopwatch"/> ticks. A Puma consumer
/// reports it as its status when its input completes.
/// </summary>
/// <param name="Messages">Messages received.</param>
/// <param name="Bytes">Payload bytes received (16 per small message, the payload size otherwise).</param>
/// <param name="LatencyTicksSum">Sum of (arrival - produce stamp).</param>
/// <param name="FirstStamp">Produce stamp of the first message received.</param>
/// <param name="LastArrival">Stopwatch timestamp when the last message arrived.</param>
/// <param name="OutOfOrder">Messages whose sequence number was not the next expected one (0 when correct).</param>
public sealed record PipelineTotals(long Messages, long Bytes, long LatencyTicksSum, long FirstStamp, long LastArrival, long OutOfOrder)
{
    /// <summary>Seconds from the first produce stamp to the last arrival.</summary>
    public double Seconds => (LastArrival - FirstStamp) / (double)Stopwatch.Frequency;

    /// <summary>Mean end-to-end latency in microseconds.</summary>
    public double MeanLatencyMicroseconds => Messages == 0 ? double.NaN : LatencyTicksSum * 1e6 / Stopwatch.Frequency / Messages;
}
