using System.Diagnostics;

namespace Puma.Runtime.Cluster.Bridge;

/// <summary>
/// Whether a bridge pump is waiting on its stream (a read with nothing arriving, or a write the receiver does not take),
/// and since when: lets a watcher tell a stalled stream (its other end or the network gone, or a receiver that takes
/// nothing) from a pump that waits on its ring.
/// </summary>
internal sealed class StreamActivity
{
    private long _waitingSince; // Stopwatch timestamp of the stream operation being waited on; 0 while none is

    /// <summary>A read from, or a write to, the stream starts.</summary>
    public void Waiting() => Volatile.Write(ref _waitingSince, Stopwatch.GetTimestamp());

    /// <summary>The stream operation returned.</summary>
    public void Moved() => Volatile.Write(ref _waitingSince, 0);

    /// <summary>How long the pump has been waiting on one stream operation; zero while it is not.</summary>
    public TimeSpan WaitingFor => Volatile.Read(ref _waitingSince) is var since and not 0 ? Stopwatch.GetElapsedTime(since) : TimeSpan.Zero;

    /// <summary>
    /// Waits for <paramref name="pump"/> while its stream is heard: true when it ends before one stream operation has
    /// waited <paramref name="silence"/>; false once one has, or when <paramref name="cancellationToken"/> is cancelled
    /// (the pump is then left running). Looks every quarter of <paramref name="silence"/>.
    /// </summary>
    public async Task<bool> EndsWhileHeardAsync(Task pump, TimeSpan silence, CancellationToken cancellationToken = default)
    {
        var look = silence / 4;
        while (await Task.WhenAny(pump, Task.Delay(look, cancellationToken)).ConfigureAwait(false) != pump)
        {
            if (cancellationToken.IsCancellationRequested || WaitingFor >= silence)
                return false;
        }
        return true;
    }
}
