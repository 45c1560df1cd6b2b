namespace Puma.Bench.PingPong;

/// <summary>
/// One message counter per actor, each on its own 128 bytes (no false sharing between the actors' threads), in one
/// array that the run sums while the actors count. Every ping-pong implementation counts this way.
/// </summary>
internal static class PaddedCounters
{
    /// <summary>Longs between two counters: one counter per 128 bytes.</summary>
    public const int Stride = 16;

    /// <summary>The counters of <paramref name="actors"/> actors.</summary>
    public static long[] Create(int actors) => new long[actors * Stride];

    /// <summary>The index of actor <paramref name="actor"/>'s counter.</summary>
    public static int SlotOf(int actor) => actor * Stride;

    /// <summary>The sum of every actor's counter, read while they count.</summary>
    public static long Sum(long[] counters)
    {
        long sum = 0;
        for (var i = 0; i < counters.Length; i += Stride) sum += Volatile.Read(ref counters[i]);
        return sum;
    }
}
