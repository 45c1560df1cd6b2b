using System.Diagnostics;

namespace Puma.Buffers.SharedMemory;

/// <summary>What a ring end waits for: a condition, and the slow-path checks of every park slice.</summary>
internal interface IRingWaitCondition
{
    /// <summary>True when the wait is over (the awaited state, completion or disposal).</summary>
    bool IsReady();

    /// <summary>
    /// Runs every park slice: throws <see cref="BufferCorruptedException"/> when shared memory holds
    /// an impossible value, or <see cref="PeerProcessDiedException"/> when the processes on the other
    /// side died; may also repair state (skip dead readers, complete a ring whose writers are all gone).
    /// </summary>
    void CheckSlice();
}

/// <summary>
/// The waiting strategy of ring ends: spin for a few tens of microseconds (the other side is
/// usually about to publish), then park on the shared futex word with a waiter count, so a
/// publisher makes a wake-up syscall only when someone is parked. Parks time out every
/// <see cref="ParkTimeoutMs"/> so the slice checks (corruption, liveness) run while idle: a wait
/// ends with an exception instead of hanging on a corrupt ring or a dead peer. An idle parked end
/// uses no CPU.
/// </summary>
internal static unsafe class RingWait
{
    /// <summary>Longest single park; the slice checks run between parks.</summary>
    public const int ParkTimeoutMs = 250;

    /// <summary>Pause before the last look of a park: longer than a core takes to drain its store buffer (~1 µs).</summary>
    private const int StoreDrainSpins = 50;

    private static readonly long SpinTicks = Stopwatch.Frequency / 40_000; // 25 µs

    /// <summary>Spins briefly; true as soon as the condition holds, false when the spin budget is spent.</summary>
    /// <remarks>Generic, so that a struct condition (an event's) is called without boxing or an interface call.</remarks>
    public static bool Spin<TCondition>(TCondition condition)
        where TCondition : IRingWaitCondition
    {
        if (condition.IsReady()) return true;
        var start = Stopwatch.GetTimestamp();
        // Stryker disable all : pacing of the spin only (which iterations yield, how long each pauses); the condition is checked after each, and the budget is a time
        for (var i = 1; ; i++)
        {
            if ((i & 15) == 0) Thread.Yield();
            else Thread.SpinWait(8);
            // Stryker restore all
            if (condition.IsReady()) return true;
            // Stryker disable once Equality : >= instead of > differs only at an elapsed time of exactly the budget, to the tick
            if (Stopwatch.GetTimestamp() - start > SpinTicks) return false;
        }
    }

    /// <summary>
    /// Parks until the condition holds, the token is cancelled or a slice check throws.
    /// Publishers increment <paramref name="sequence"/> and wake it when <paramref name="waiters"/> is not zero and
    /// <paramref name="parks"/> changed since their last wake-up.
    /// </summary>
    /// <remarks>
    /// The optional parked flag (a reader slot's) is set while this end counts in the waiters, so
    /// that a writer that finds the slot's process dead can take its count back (see
    /// <see cref="SharedMemoryRing.CheckReadersAlive"/>).
    /// </remarks>
    public static void Park(int* sequence, int* waiters, int* parks, int* parkedFlag, IRingWaitCondition condition, CancellationToken cancellationToken)
    {
        var lastSliceCheck = Stopwatch.GetTimestamp();
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            Interlocked.Increment(ref *waiters);
            if (parkedFlag != null) Volatile.Write(ref *parkedFlag, 1);
            try
            {
                var observed = Volatile.Read(ref *sequence);
                // Counted after the read of the sequence: a publisher that sees this count increments the sequence
                // after this read, so the wake-up it makes for the count ends this park (any change of the
                // sequence does); publishers skip the wake-up for a count they woke already (see WakeNewParks).
                Interlocked.Increment(ref *parks);
                if (condition.IsReady()) return;
                // Publishers store without a fence and wake only the waiters they see (they fence once per batch):
                // one that published in this very instant may have read the count before this end's increment,
                // while its store still sat in its core's store buffer, unseen by the check above. Such a store
                // drains within a microsecond: look once more after that long, then sleep.
                Thread.SpinWait(StoreDrainSpins);
                if (condition.IsReady()) return;
                Futex.Wait(sequence, observed, ParkTimeoutMs);
            }
            finally
            {
                // Only the side that clears the flag gives the count back (the parked end or a
                // writer that found this end's process dead), so it is never returned twice.
                if (parkedFlag == null || Interlocked.Exchange(ref *parkedFlag, 0) == 1) Interlocked.Decrement(ref *waiters);
            }
            if (condition.IsReady()) return;
            var now = Stopwatch.GetTimestamp();
            // Stryker disable once Equality : > instead of >= differs only at an elapsed time of exactly the slice, to the tick
            if (Stopwatch.GetElapsedTime(lastSliceCheck, now).TotalMilliseconds >= ParkTimeoutMs)
            {
                condition.CheckSlice();
                lastSliceCheck = now;
            }
        }
    }

    /// <summary>Spins, then parks: the whole blocking wait.</summary>
    public static void Wait(int* sequence, int* waiters, int* parks, int* parkedFlag, IRingWaitCondition condition, CancellationToken cancellationToken)
    {
        if (Spin(condition)) return;
        Park(sequence, waiters, parks, parkedFlag, condition, cancellationToken);
    }
}
