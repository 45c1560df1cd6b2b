namespace Puma.Bench.Shared;

/// <summary>
/// The shared suite's start line: the workers of a round meet on a shared counter and spin (never park) until all
/// have arrived, so that they start within microseconds of each other, in threads or in processes.
/// </summary>
internal static class SharedSpinStart
{
    /// <summary>The gap between two rounds' signals: room for the workers' arrivals.</summary>
    public const int Step = 16;

    /// <summary>Adds this worker to <paramref name="counter"/> and spins until it reads <paramref name="signal"/> plus the two workers.</summary>
    public static void Meet(Puma.Buffers.SharedValue<int> counter, int signal)
    {
        counter.Increment();
        var spin = default(SpinWait);
        while (counter.Read() < signal + 2)
            spin.SpinOnce(sleep1Threshold: -1);
    }

    /// <summary>The same for threads on an ordinary int.</summary>
    public static void Meet(ref int counter, int workers)
    {
        Interlocked.Increment(ref counter);
        var spin = default(SpinWait);
        while (Volatile.Read(ref counter) < workers)
            spin.SpinOnce(sleep1Threshold: -1);
    }
}
