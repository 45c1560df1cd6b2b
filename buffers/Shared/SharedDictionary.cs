using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using System.Text.Json.Serialization;

namespace Puma.Buffers;

/// <summary>
/// A fixed-capacity dictionary in shared memory that runnables in threads and in processes read and update at the
/// same time: lock-free reads, writes made safe by a compare-and-swap per slot, so several processes may write.
/// Keys and values are unmanaged types or strings of a declared UTF-8 length. Created by the runtime
/// (<c>runtime.CreateSharedDictionary&lt;string, long&gt;(name, capacity, maxKeyLength: 32)</c>) and freed with it.
/// </summary>
/// <remarks>
/// <para>Open addressing with linear probing over a power-of-two table a third larger than the capacity. Keys cannot
/// be removed. Keys are compared bit for bit (for a float key, -0.0 is not 0.0); strings by their UTF-8 bytes.</para>
/// <para>A value of at most 8 bytes that is not a string is read and written with one atomic instruction, and
/// <see cref="Increment(TKey, TValue)"/> adds to an int, long, uint or ulong value atomically. A wider value is
/// guarded by a per-slot version (a seqlock): readers retry while a writer is in the middle, writers take the slot
/// with a compare-and-swap. A process that dies in the middle of writing a slot (a few hundred nanoseconds) leaves it
/// busy: who meets it waits a second, then gets a <see cref="BufferCorruptedException"/> naming the slot.</para>
/// <para>Pass it to a runnable as a property: in a thread the runnable holds this object, in a process a copy that
/// maps the same memory on first use.</para>
/// </remarks>
/// <typeparam name="TKey">An unmanaged type, or string.</typeparam>
/// <typeparam name="TValue">An unmanaged type, or string (null strings are stored as null).</typeparam>
[JsonConverter(typeof(SharedObjectJsonConverterFactory))]
public sealed unsafe partial class SharedDictionary<TKey, TValue> : IDisposable, IAsyncDisposable
    where TKey : notnull
{
    private readonly SharedMapping _mapping;
    private readonly string _label;
    private SharedDictionaryLayout? _layout;

    private SharedDictionary(string name, SharedDictionaryLayout? layout, Func<SharedDictionary<TKey, TValue>, SharedMapping> map)
    {
        Name = name;
        _label = $"Shared dictionary '{name}'";
        _layout = layout;
        _mapping = map(this);
    }

    /// <summary>The dictionary's name in its runtime.</summary>
    public string Name { get; }

    /// <summary>The most entries it holds.</summary>
    public int Capacity => Layout.Capacity;

    /// <summary>The number of entries (while keys are being added concurrently, possibly one that is about to be).</summary>
    public int Count
    {
        get
        {
            var segment = _mapping.Enter();
            try
            {
                return Math.Min(Volatile.Read(ref *(int*)(segment + SharedDictionaryLayout.CountOffset)), Capacity);
            }
            finally
            {
                _mapping.Exit();
            }
        }
    }

    /// <summary>The longest string key in UTF-8 bytes; 0 when keys are not strings.</summary>
    public int MaxKeyLength => SharedSlotCodec<TKey>.IsString ? Layout.KeyBytes : 0;

    /// <summary>The longest string value in UTF-8 bytes; 0 when values are not strings.</summary>
    public int MaxValueLength => SharedSlotCodec<TValue>.IsString ? Layout.ValueBytes : 0;

    /// <summary>The name of the shared segment (what a copy in another process maps).</summary>
    internal string SegmentName => _mapping.SegmentName;

    /// <summary>True once this copy has mapped the segment.</summary>
    internal bool IsMapped => _mapping.IsMapped;

    /// <summary>The segment's first byte (tests corrupt the header through it).</summary>
    internal byte* Segment => _mapping.Pointer;

    private SharedDictionaryLayout Layout
    {
        get
        {
            _ = _mapping.Enter(); // an attached copy learns its layout when it maps the segment
            _mapping.Exit();
            return _layout!;
        }
    }

    /// <summary>The value of <paramref name="key"/>; setting it adds or replaces the entry.</summary>
    /// <param name="key">The key.</param>
    /// <exception cref="KeyNotFoundException">(get) The key is not in the dictionary.</exception>
    /// <exception cref="SharedDictionaryFullException">(set) The key is new and the dictionary is full.</exception>
    /// <exception cref="ArgumentException">A string key or value is longer than its declared limit.</exception>
    public TValue this[TKey key]
    {
        get => TryGetValue(key, out var value)
            ? value
            : throw new KeyNotFoundException($"{_label} has no key '{key}'.");
        set => Set(key, value);
    }

    /// <summary>Looks <paramref name="key"/> up, lock-free.</summary>
    /// <param name="key">The key.</param>
    /// <param name="value">Its value, when found.</param>
    /// <returns>True when the key is in the dictionary.</returns>
    /// <exception cref="ArgumentException">A string key longer than its declared limit (it cannot be in the dictionary).</exception>
    public bool TryGetValue(TKey key, [MaybeNullWhen(false)] out TValue value)
    {
        var segment = _mapping.Enter();
        try
        {
            return TryGetValue(segment, key, out value);
        }
        finally
        {
            _mapping.Exit();
        }
    }

    private bool TryGetValue(byte* segment, TKey key, [MaybeNullWhen(false)] out TValue value)
    {
        var layout = _layout!;
        Span<byte> encoded = stackalloc byte[layout.KeySlotBytes];
        var keyBytes = EncodeKey(key, encoded, layout);
        var index = Find(segment, layout, keyBytes, out var found);
        if (!found)
        {
            value = default;
            return false;
        }
        value = ReadValue(SlotAt(segment, layout, index), index, layout);
        return true;
    }

    /// <summary>True when <paramref name="key"/> is in the dictionary.</summary>
    /// <param name="key">The key.</param>
    /// <returns>Whether it is.</returns>
    public bool ContainsKey(TKey key) => TryGetValue(key, out _);

    /// <summary>Adds <paramref name="key"/> with <paramref name="value"/>, or replaces its value.</summary>
    /// <param name="key">The key.</param>
    /// <param name="value">The value.</param>
    /// <exception cref="SharedDictionaryFullException">The key is new and the dictionary is full.</exception>
    /// <exception cref="ArgumentException">A string key or value is longer than its declared limit.</exception>
    public void Set(TKey key, TValue value) => Upsert(key, value, UpsertMode.Set, out _);

    /// <summary>Adds <paramref name="key"/> with <paramref name="value"/> unless the key is there already.</summary>
    /// <param name="key">The key.</param>
    /// <param name="value">The value.</param>
    /// <returns>True when added; false when the key was there (its value is unchanged).</returns>
    /// <exception cref="SharedDictionaryFullException">The key is new and the dictionary is full.</exception>
    /// <exception cref="ArgumentException">A string key or value is longer than its declared limit.</exception>
    public bool TryAdd(TKey key, TValue value) => Upsert(key, value, UpsertMode.TryAdd, out _);

    /// <summary>
    /// Adds <paramref name="delta"/> to the value of <paramref name="key"/> atomically (wrapping on overflow), adding
    /// the key with <paramref name="delta"/> when it is new. Exact under any number of concurrent writers.
    /// </summary>
    /// <param name="key">The key.</param>
    /// <param name="delta">What to add.</param>
    /// <returns>The value after the addition.</returns>
    /// <exception cref="NotSupportedException"><typeparamref name="TValue"/> is not int, long, uint or ulong.</exception>
    /// <exception cref="SharedDictionaryFullException">The key is new and the dictionary is full.</exception>
    public TValue Increment(TKey key, TValue delta)
    {
        if (typeof(TValue) != typeof(int) && typeof(TValue) != typeof(long) && typeof(TValue) != typeof(uint) && typeof(TValue) != typeof(ulong))
            throw new NotSupportedException($"{_label}: Increment needs int, long, uint or ulong values, not {typeof(TValue).FullName}.");
        Upsert(key, delta, UpsertMode.Increment, out var result);
        return result;
    }

    /// <summary>Adds one to the value of <paramref name="key"/> atomically, adding the key with 1 when it is new.</summary>
    /// <param name="key">The key.</param>
    /// <returns>The value after the increment.</returns>
    /// <exception cref="NotSupportedException"><typeparamref name="TValue"/> is not int, long, uint or ulong.</exception>
    /// <exception cref="SharedDictionaryFullException">The key is new and the dictionary is full.</exception>
    public TValue Increment(TKey key)
    {
        if (typeof(TValue) == typeof(int))
            return Increment(key, Unsafe.BitCast<int, TValue>(1));
        if (typeof(TValue) == typeof(long))
            return Increment(key, Unsafe.BitCast<long, TValue>(1));
        if (typeof(TValue) == typeof(uint))
            return Increment(key, Unsafe.BitCast<uint, TValue>(1));
        if (typeof(TValue) == typeof(ulong))
            return Increment(key, Unsafe.BitCast<ulong, TValue>(1));
        return Increment(key, default!);
    }

    /// <summary>A copy of every entry, each read atomically (the whole is not one snapshot while others write).</summary>
    /// <returns>A new dictionary with the entries.</returns>
    public Dictionary<TKey, TValue> ToDictionary()
    {
        var segment = _mapping.Enter();
        try
        {
            return ToDictionary(segment);
        }
        finally
        {
            _mapping.Exit();
        }
    }

    private Dictionary<TKey, TValue> ToDictionary(byte* segment)
    {
        var layout = _layout!;
        var entries = new Dictionary<TKey, TValue>();
        for (var index = 0; index < layout.SlotCount; index++)
        {
            var slot = SlotAt(segment, layout, index);
            if (WaitWhileInserting(slot, index) < 2)
                continue;
            var key = SharedSlotCodec<TKey>.Decode(new ReadOnlySpan<byte>(slot + layout.KeyOffset, layout.KeySlotBytes), layout.KeyBytes, _label);
            entries[key] = ReadValue(slot, index, layout);
        }
        return entries;
    }

    /// <summary>Unmaps the dictionary in this process.</summary>
    public void Dispose() => _mapping.Dispose();

    /// <summary>Same as <see cref="Dispose"/>.</summary>
    /// <returns>A completed task.</returns>
    public ValueTask DisposeAsync()
    {
        Dispose();
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public override string ToString() => $"SharedDictionary<{typeof(TKey).Name}, {typeof(TValue).Name}> '{Name}'";

    /// <summary>A new, empty dictionary in a new segment.</summary>
    /// <exception cref="NotSupportedException">A type is neither unmanaged nor string.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The capacity or a string limit is outside its range.</exception>
    /// <exception cref="ArgumentException">A string limit is given for a type that is not string.</exception>
    internal static SharedDictionary<TKey, TValue> Create(string name, int capacity, int maxKeyLength, int maxValueLength)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        var label = $"Shared dictionary '{name}'";
        if (SharedSlotCodec<TKey>.WhyNotStorable() is { } badKey)
            throw new NotSupportedException($"{label}: {badKey}");
        if (SharedSlotCodec<TValue>.WhyNotStorable() is { } badValue)
            throw new NotSupportedException($"{label}: {badValue}");
        if (capacity is < 1 or > SharedDictionaryLayout.MaxCapacity)
            throw new ArgumentOutOfRangeException(nameof(capacity), capacity, $"{label}: capacity {capacity} is outside 1..{SharedDictionaryLayout.MaxCapacity}.");
        CheckLimit<TKey>(maxKeyLength, nameof(maxKeyLength), label);
        CheckLimit<TValue>(maxValueLength, nameof(maxValueLength), label);
        var layout = SharedDictionaryLayout.For(capacity,
            SharedSlotCodec<TKey>.Kind, SharedSlotCodec<TKey>.DataBytes(maxKeyLength),
            SharedSlotCodec<TValue>.Kind, SharedSlotCodec<TValue>.DataBytes(maxValueLength));
        if (layout.SegmentLength > SharedDictionaryLayout.MaxSegmentLength)
            throw new ArgumentOutOfRangeException(nameof(capacity), capacity, $"{label}: {capacity} entries of {layout.SlotSize} bytes (key limit {maxKeyLength}, value limit {maxValueLength}) in {layout.SlotCount} slots take {layout.SegmentLength} bytes, more than the {SharedDictionaryLayout.MaxSegmentLength} bytes (16 GiB) a shared dictionary may take; lower the capacity or the string limits.");
        return new SharedDictionary<TKey, TValue>(name, layout,
            _ => SharedMapping.Create(layout.SegmentLength, label, address => layout.Initialize((byte*)address)));
    }

    /// <summary>A copy of a dictionary created elsewhere (another process), which maps segment <paramref name="segmentName"/> on first use.</summary>
    internal static SharedDictionary<TKey, TValue> Attaching(string name, string segmentName)
    {
        var label = $"Shared dictionary '{name}'";
        return new SharedDictionary<TKey, TValue>(name, null, dictionary => SharedMapping.Attaching(segmentName, label, (address, length) =>
            dictionary._layout = SharedDictionaryLayout.Read((byte*)address, length,
                SharedSlotCodec<TKey>.Kind, SharedSlotCodec<TKey>.IsString ? 0 : Unsafe.SizeOf<TKey>(),
                SharedSlotCodec<TValue>.Kind, SharedSlotCodec<TValue>.IsString ? 0 : Unsafe.SizeOf<TValue>(), label)));
    }

    private static void CheckLimit<T>(int limit, string parameter, string label)
    {
        if (SharedSlotCodec<T>.IsString)
        {
            if (limit is < 1 or > SharedSlotCodec<T>.MaxStringBytes)
                throw new ArgumentOutOfRangeException(parameter, limit, $"{label}: {parameter} {limit} is outside 1..{SharedSlotCodec<T>.MaxStringBytes} (UTF-8 bytes); string {(parameter == "maxKeyLength" ? "keys" : "values")} need it.");
        }
        else if (limit != 0)
        {
            throw new ArgumentException($"{label}: {parameter} {limit} applies to strings only, and the type is {typeof(T).FullName}; leave it 0.", parameter);
        }
    }
}
