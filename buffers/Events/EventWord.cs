namespace Puma.Buffers.Events;

/// <summary>
/// The 32-bit event word: bit 0 is the state (1 = set), bits 1..31 the generation, which every Set of a reset event
/// and every Pulse advances (wrapping). One word, so that every change is one compare-and-swap and every waiter
/// parks on what it last saw.
/// </summary>
internal static class EventWord
{
    public static bool IsSet(int word) => (word & 1) != 0;

    public static int Generation(int word) => (int)((uint)word >> 1);

    /// <summary>The next generation, set.</summary>
    public static int NextSet(int word) => (int)(((uint)word & ~1u) + 2u) | 1;

    /// <summary>The next generation, reset (a pulse).</summary>
    public static int NextReset(int word) => (int)(((uint)word & ~1u) + 2u);

    /// <summary>The same generation, reset.</summary>
    public static int Cleared(int word) => word & ~1;
}
