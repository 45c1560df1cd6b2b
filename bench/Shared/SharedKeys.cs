using System.Globalization;

namespace Puma.Bench.Shared;

/// <summary>The keys and values the dictionary cases use: the same in every process.</summary>
internal static class SharedKeys
{
    /// <summary>How many keys (a power of two).</summary>
    public const int Count = 1024;

    /// <summary>The dictionaries' capacity.</summary>
    public const int Capacity = 4 * Count;

    /// <summary>The longest string key in UTF-8 bytes.</summary>
    public const int MaxStringBytes = 16;

    /// <summary>Long keys, spread over the range.</summary>
    public static readonly long[] Longs = Enumerable.Range(0, Count).Select(k => k * 2_654_435_761L).ToArray();

    /// <summary>String keys: "key-0000" to "key-1023".</summary>
    public static readonly string[] Strings = Enumerable.Range(0, Count).Select(k => "key-" + k.ToString("0000", CultureInfo.InvariantCulture)).ToArray();

    /// <summary>The value stored for key number <paramref name="k"/> before a get case.</summary>
    public static long ValueOf(int k) => (k * 3L) + 1;

    /// <summary>What <paramref name="ops"/> gets in turn sum to (ops a multiple of <see cref="Count"/>).</summary>
    public static long ExpectedSum(long ops) => ops / Count * Enumerable.Range(0, Count).Sum(k => ValueOf(k));
}
