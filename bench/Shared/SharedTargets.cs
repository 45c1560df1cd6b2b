using System.Collections.Concurrent;
using System.Text.Json;
using Puma.Buffers;

namespace Puma.Bench.Shared;

/// <summary>
/// The object a case works on: made by the parent (Puma's shared objects in shared memory, or the in-process
/// baselines), bound by each worker to its round's work, and checked when the rounds are over.
/// </summary>
internal sealed class SharedTargets : IDisposable
{
    private readonly string _case;
    private readonly IDisposable? _shared;
    private readonly object _baseline;

    private SharedTargets(string caseName, IDisposable? shared, object baseline)
    {
        _case = caseName;
        _shared = shared;
        _baseline = baseline;
    }

    /// <summary>The shared object as JSON (what a worker process rebuilds it from); null for a baseline.</summary>
    public string? Json => _shared switch
    {
        SharedValue<long> v => JsonSerializer.Serialize(v),
        SharedDictionary<long, long> d => JsonSerializer.Serialize(d),
        SharedDictionary<string, long> d => JsonSerializer.Serialize(d),
        _ => null,
    };

    /// <summary>Puma's object for <paramref name="caseName"/>, filled for a get case.</summary>
    public static SharedTargets Puma(string caseName)
    {
        if (caseName == SharedCase.ValueIncrement)
            return new SharedTargets(caseName, SharedValue<long>.Create("counter", 0), "");
        if (SharedCase.HasStringKeys(caseName))
        {
            var strings = SharedDictionary<string, long>.Create("dictionary", SharedKeys.Capacity, SharedKeys.MaxStringBytes, 0);
            if (caseName == SharedCase.DictGetString)
                SharedWorkload.Fill(SharedKeys.Strings, strings.Set);
            return new SharedTargets(caseName, strings, "");
        }
        var longs = SharedDictionary<long, long>.Create("dictionary", SharedKeys.Capacity, 0, 0);
        if (caseName == SharedCase.DictGet)
            SharedWorkload.Fill(SharedKeys.Longs, longs.Set);
        return new SharedTargets(caseName, longs, "");
    }

    /// <summary>The in-process baseline for <paramref name="caseName"/>: a padded long for Interlocked, or a ConcurrentDictionary.</summary>
    public static SharedTargets Baseline(string caseName)
    {
        if (caseName == SharedCase.ValueIncrement)
            return new SharedTargets(caseName, null, new long[16]);
        if (SharedCase.HasStringKeys(caseName))
        {
            var strings = new ConcurrentDictionary<string, long>(2, SharedKeys.Capacity);
            if (caseName == SharedCase.DictGetString)
                SharedWorkload.Fill(SharedKeys.Strings, (k, v) => strings[k] = v);
            return new SharedTargets(caseName, null, strings);
        }
        var longs = new ConcurrentDictionary<long, long>(2, SharedKeys.Capacity);
        if (caseName == SharedCase.DictGet)
            SharedWorkload.Fill(SharedKeys.Longs, (k, v) => longs[k] = v);
        return new SharedTargets(caseName, null, longs);
    }

    /// <summary>A worker's round: <paramref name="ops"/> operations on this object, returning the checksum.</summary>
    public Func<long> Work(long ops) => Bind(_case, _shared ?? _baseline, ops);

    /// <summary>A worker's round on the object a worker process rebuilt from <paramref name="json"/>.</summary>
    public static Func<long> WorkFromJson(string caseName, string json, long ops, out IDisposable attached)
    {
        IDisposable target = caseName == SharedCase.ValueIncrement
            ? JsonSerializer.Deserialize<SharedValue<long>>(json)!
            : SharedCase.HasStringKeys(caseName)
                ? JsonSerializer.Deserialize<SharedDictionary<string, long>>(json)!
                : JsonSerializer.Deserialize<SharedDictionary<long, long>>(json)!;
        attached = target;
        return Bind(caseName, target, ops);
    }

    /// <summary>Null when the object holds what <paramref name="totalOps"/> operations (all workers, all rounds) leave; else what is wrong.</summary>
    public string? Check(long totalOps)
    {
        long found;
        long expected;
        switch (_shared ?? _baseline)
        {
            case SharedValue<long> v:
                (found, expected) = (v.Read(), totalOps);
                break;
            case long[] counter:
                (found, expected) = (counter[0], totalOps);
                break;
            case SharedDictionary<long, long> d:
                (found, expected) = (d.Count, SharedKeys.Count);
                break;
            case SharedDictionary<string, long> d:
                (found, expected) = (d.Count, SharedKeys.Count);
                break;
            case ConcurrentDictionary<long, long> d:
                (found, expected) = (d.Count, SharedKeys.Count);
                break;
            case ConcurrentDictionary<string, long> d:
                (found, expected) = (d.Count, SharedKeys.Count);
                break;
            default:
                return "unknown target";
        }
        return found == expected ? null : $"the {_case} target holds {found}, expected {expected}";
    }

    /// <summary>True when a round's checksum is right: the get cases sum the values they got.</summary>
    public static bool ChecksumIsRight(string caseName, long ops, long checksum) =>
        caseName is SharedCase.DictGet or SharedCase.DictGetString ? checksum == SharedKeys.ExpectedSum(ops) : checksum == 0;

    public void Dispose() => _shared?.Dispose();

    private static Func<long> Bind(string caseName, object target, long ops) => target switch
    {
        SharedValue<long> v => () => SharedWorkload.Increment(v, ops),
        long[] counter => () => SharedWorkload.Increment(counter, ops),
        SharedDictionary<long, long> d => () => SharedWorkload.Dictionary(caseName, d, SharedKeys.Longs, ops),
        SharedDictionary<string, long> d => () => SharedWorkload.Dictionary(caseName, d, SharedKeys.Strings, ops),
        ConcurrentDictionary<long, long> d => () => SharedWorkload.Dictionary(caseName, d, SharedKeys.Longs, ops),
        ConcurrentDictionary<string, long> d => () => SharedWorkload.Dictionary(caseName, d, SharedKeys.Strings, ops),
        _ => throw new ArgumentException($"no workload for {target.GetType().Name}"),
    };
}
