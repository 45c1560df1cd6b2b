namespace Puma.Bench.Pipeline;

/// <summary>
/// A message of the <c>pipeline</c> suite: a sequence number, the <see cref="System.Diagnostics.Stopwatch"/>
/// timestamp taken when it was produced (system-wide monotonic on Linux, so it is comparable across
/// processes) and, for the large case, a payload.
/// </summary>
/// <typeparam name="TSelf">The message type itself.</typeparam>
public interface IPipelineMessage<TSelf> where TSelf : IPipelineMessage<TSelf>
{
    /// <summary>Builds a message.</summary>
    /// <param name="seq">Its sequence number.</param>
    /// <param name="stamp">Stopwatch timestamp at produce.</param>
    /// <param name="payload">The payload, or null for a message without one.</param>
    static abstract TSelf Create(long seq, long stamp, byte[]? payload);

    /// <summary>The sequence number.</summary>
    long Seq { get; }

    /// <summary>Stopwatch timestamp at produce.</summary>
    long Stamp { get; }

    /// <summary>The bytes it carries, for MB/s: the whole struct for a small message, the payload for a large one.</summary>
    int Size { get; }

    /// <summary>Called by the consumer when it is done with the message (a pooled payload goes back to its pool).</summary>
    void Release();
}
