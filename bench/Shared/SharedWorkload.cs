using System.Collections.Concurrent;
using Puma.Buffers;

namespace Puma.Bench.Shared;

/// <summary>
/// The work one worker does in a round, on Puma's shared objects or on the in-process baselines (Interlocked,
/// ConcurrentDictionary). Returns a checksum: the sum of the values got, for the get cases; 0 otherwise.
/// </summary>
internal static class SharedWorkload
{
    /// <summary>Increments <paramref name="value"/> <paramref name="ops"/> times.</summary>
    public static long Increment(SharedValue<long> value, long ops)
    {
        for (var i = 0L; i < ops; i++)
            value.Increment();
        return 0;
    }

    /// <summary>Increments <c>counter[0]</c> <paramref name="ops"/> times with <see cref="Interlocked"/>.</summary>
    public static long Increment(long[] counter, long ops)
    {
        for (var i = 0L; i < ops; i++)
            Interlocked.Increment(ref counter[0]);
        return 0;
    }

    /// <summary>Runs the dictionary case on a shared dictionary (long or string keys: the same loop, so both measure the same work).</summary>
    public static long Dictionary<TKey>(string caseName, SharedDictionary<TKey, long> dictionary, TKey[] keys, long ops)
        where TKey : notnull
    {
        var sum = 0L;
        if (caseName is SharedCase.DictGet or SharedCase.DictGetString)
        {
            for (var i = 0L; i < ops; i++)
            {
                dictionary.TryGetValue(keys[i & (SharedKeys.Count - 1)], out var v);
                sum += v;
            }
            return sum;
        }
        for (var i = 0L; i < ops; i++)
            dictionary.Set(keys[i & (SharedKeys.Count - 1)], i);
        return 0;
    }

    /// <summary>Runs the dictionary case on a <see cref="ConcurrentDictionary{TKey, TValue}"/>.</summary>
    public static long Dictionary<TKey>(string caseName, ConcurrentDictionary<TKey, long> dictionary, TKey[] keys, long ops)
        where TKey : notnull
    {
        var sum = 0L;
        if (caseName is SharedCase.DictGet or SharedCase.DictGetString)
        {
            for (var i = 0L; i < ops; i++)
            {
                dictionary.TryGetValue(keys[i & (SharedKeys.Count - 1)], out var v);
                sum += v;
            }
            return sum;
        }
        for (var i = 0L; i < ops; i++)
            dictionary[keys[i & (SharedKeys.Count - 1)]] = i;
        return 0;
    }

    /// <summary>Fills a dictionary for a get case: key k holds <see cref="SharedKeys.ValueOf"/>(k).</summary>
    public static void Fill<TKey>(TKey[] keys, Action<TKey, long> set)
    {
        for (var k = 0; k < keys.Length; k++)
            set(keys[k], SharedKeys.ValueOf(k));
    }
}
