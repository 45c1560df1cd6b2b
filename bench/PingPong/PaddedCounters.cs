namespace Puma.Bench.PingPong;

/// <summary>
/// One message counter per actor, each on its own 128 bytes (no false sharing between the actors' threads), in one
/// array that the run sums while the actors count. Every ping-pong implementation counts this way.
/// </summary>
/// <remarks>
/// The counters start one stride into the array and one stride is left after the last: every increment checks the
/// index against the array's length, which sits in the array's header, and a counter on the header's cache line made
/// every actor's check miss whenever the first actor counted (13% of Puma's loop at batch=100 in a perf profile, on
/// the instruction after that check).
/// </remarks>
internal static class PaddedCounters
{
    /// <summary>Longs between two counters: one counter per 128 bytes.</summary>
    public const int Stride = 16;

    /// <summary>The counters of <paramref name="actors"/> actors.</summary>
    public static long[] Create(int actors) => new long[(actors + 2) * Stride];

    /// <summary>The index of actor <paramref name="actor"/>'s counter.</summary>
    public static int SlotOf(int actor) => (actor + 1) * Stride;

    /// <summary>The sum of every actor's counter, read while they count.</summary>
    public static long Sum(long[] counters)
    {
        long sum = 0;
        for (var i = Stride; i < counters.Length - Stride; i += Stride) sum += Volatile.Read(ref counters[i]);
        return sum;
    }
}
