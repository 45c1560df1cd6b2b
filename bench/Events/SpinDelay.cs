using System.Diagnostics;

namespace Puma.Bench.Events;

/// <summary>A busy wait of a few microseconds: long enough for the other side's waiter to stop spinning and park.</summary>
internal static class SpinDelay
{
    /// <summary>Spins for <paramref name="microseconds"/> (nothing when zero).</summary>
    public static void For(int microseconds)
    {
        if (microseconds <= 0) return;
        var until = Stopwatch.GetTimestamp() + microseconds * Stopwatch.Frequency / 1_000_000;
        while (Stopwatch.GetTimestamp() < until) Thread.SpinWait(20);
    }
}
