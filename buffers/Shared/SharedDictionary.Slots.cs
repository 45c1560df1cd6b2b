using System.Runtime.CompilerServices;

namespace Puma.Buffers;

// The slots: probing, the insertion protocol and the per-slot version of wide values.
public sealed unsafe partial class SharedDictionary<TKey, TValue>
{
    private const uint Empty = 0;
    private const uint Inserting = 1;
    private const uint Published = 2;

    private enum UpsertMode
    {
        Set,
        TryAdd,
        Increment,
    }

    private static byte* SlotAt(byte* segment, SharedDictionaryLayout layout, int index) =>
        segment + SharedHeader.Size + ((long)index * layout.SlotSize);

    /// <summary>Encodes <paramref name="key"/> into the zeroed <paramref name="buffer"/>; returns the bytes that identify it (a multiple of 8).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private ReadOnlySpan<byte> EncodeKey(TKey key, Span<byte> buffer, SharedDictionaryLayout layout)
    {
        if (key is null)
            throw new ArgumentNullException(nameof(key), $"{_label}: a key cannot be null.");
        buffer.Clear();
        SharedSlotCodec<TKey>.Encode(key, buffer, layout.KeyBytes, _label, "key");
        return SharedSlotCodec<TKey>.IsString ? buffer[..((SharedSlotCodec<TKey>.UsedBytes(buffer) + 7) & ~7)] : buffer;
    }

    /// <summary>
    /// The slot that holds <paramref name="key"/> (<paramref name="found"/> true), else the empty slot where it would
    /// go; -1 when every slot is taken. Waits out slots being inserted, as one of them may be this key.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private int Find(byte* segment, SharedDictionaryLayout layout, ReadOnlySpan<byte> key, out bool found)
    {
        var hash = SharedKeyHash.Of(key);
        var mask = layout.SlotCount - 1;
        var index = (int)(hash >> 32) & mask;
        for (var probes = 0; probes < layout.SlotCount; probes++, index = (index + 1) & mask)
        {
            var slot = SlotAt(segment, layout, index);
            if (WaitWhileInserting(slot, index) == Empty)
            {
                found = false;
                return index;
            }
            if (*(int*)(slot + SharedDictionaryLayout.HashOffset) == (int)hash && new ReadOnlySpan<byte>(slot + layout.KeyOffset, key.Length).SequenceEqual(key))
            {
                found = true;
                return index;
            }
        }
        found = false;
        return -1;
    }

    /// <summary>The slot's state once it is not being inserted: empty, or published (key and hash final).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private uint WaitWhileInserting(byte* slot, int index)
    {
        var state = Volatile.Read(ref *(uint*)slot);
        return state == Inserting ? WaitInserted(slot, index) : state;
    }

    private uint WaitInserted(byte* slot, int index)
    {
        var state = Volatile.Read(ref *(uint*)slot);
        var spin = default(SharedSlotSpin);
        while (state == Inserting)
        {
            spin.Once(_label, index, slot);
            state = Volatile.Read(ref *(uint*)slot);
        }
        return state;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private TValue ReadValue(byte* slot, int index, SharedDictionaryLayout layout)
    {
        if (!layout.ValueIsAtomic)
            return ReadValueUnderVersion(slot, index, layout);
        var bits = Volatile.Read(ref *(ulong*)(slot + SharedDictionaryLayout.ValueOffset));
        return Unsafe.As<ulong, TValue>(ref bits);
    }

    /// <summary>Reads a wide value: copies it between two reads of the slot's version, again until they agree and are even.</summary>
    private TValue ReadValueUnderVersion(byte* slot, int index, SharedDictionaryLayout layout)
    {
        Span<byte> copy = stackalloc byte[layout.ValueSlotBytes];
        var spin = default(SharedSlotSpin);
        while (true)
        {
            var before = Volatile.Read(ref *(uint*)slot);
            if ((before & 1) == 0)
            {
                new ReadOnlySpan<byte>(slot + SharedDictionaryLayout.ValueOffset, copy.Length).CopyTo(copy);
                Interlocked.MemoryBarrier(); // the copy is done before the version is read again
                if (Volatile.Read(ref *(uint*)slot) == before)
                    return SharedSlotCodec<TValue>.Decode(copy, layout.ValueBytes, _label);
            }
            spin.Once(_label, index, slot);
        }
    }

    private bool Upsert(TKey key, TValue value, UpsertMode mode, out TValue result)
    {
        var segment = _mapping.Enter();
        try
        {
            return Upsert(segment, key, value, mode, out result);
        }
        finally
        {
            _mapping.Exit();
        }
    }

    private bool Upsert(byte* segment, TKey key, TValue value, UpsertMode mode, out TValue result)
    {
        var layout = _layout!;
        Span<byte> encodedKey = stackalloc byte[layout.KeySlotBytes];
        var keyBytes = EncodeKey(key, encodedKey, layout);
        Span<byte> encodedValue = stackalloc byte[layout.ValueIsAtomic ? 8 : layout.ValueSlotBytes];
        encodedValue.Clear();
        SharedSlotCodec<TValue>.Encode(value, encodedValue, layout.ValueBytes, _label, "value");
        while (true)
        {
            var index = Find(segment, layout, keyBytes, out var found);
            if (index < 0)
                throw new SharedDictionaryFullException(Name, layout.Capacity);
            var slot = SlotAt(segment, layout, index);
            if (found)
                return Update(slot, index, layout, mode, value, encodedValue, out result);

            if (Interlocked.CompareExchange(ref *(ulong*)slot, Busy(Inserting), Empty) != Empty)
                continue; // another writer took the slot: look again (it may be this key)
            var count = (int*)(segment + SharedDictionaryLayout.CountOffset);
            if (Interlocked.Increment(ref *count) > layout.Capacity)
            {
                Interlocked.Decrement(ref *count);
                Volatile.Write(ref *(ulong*)slot, Empty); // state and writer: as if never taken
                throw new SharedDictionaryFullException(Name, layout.Capacity);
            }
            *(int*)(slot + SharedDictionaryLayout.HashOffset) = (int)SharedKeyHash.Of(keyBytes);
            encodedKey.CopyTo(new Span<byte>(slot + layout.KeyOffset, layout.KeySlotBytes));
            encodedValue.CopyTo(new Span<byte>(slot + SharedDictionaryLayout.ValueOffset, encodedValue.Length));
            Volatile.Write(ref *(uint*)slot, Published);
            result = value;
            return true;
        }
    }

    private bool Update(byte* slot, int index, SharedDictionaryLayout layout, UpsertMode mode, TValue value, ReadOnlySpan<byte> encodedValue, out TValue result)
    {
        var bits = (ulong*)(slot + SharedDictionaryLayout.ValueOffset);
        switch (mode)
        {
            case UpsertMode.TryAdd:
                result = default!;
                return false;
            case UpsertMode.Increment:
                result = AddAtomically(bits, value);
                return true;
            default:
                if (layout.ValueIsAtomic)
                    Interlocked.Exchange(ref *bits, Unsafe.ReadUnaligned<ulong>(in encodedValue[0]));
                else
                    WriteLocked(slot, index, encodedValue);
                result = value;
                return true;
        }
    }

    /// <summary>Writes a wide value under the slot's version: odd while writing, the next even number after.</summary>
    private void WriteLocked(byte* slot, int index, ReadOnlySpan<byte> encodedValue)
    {
        var state = (uint*)slot;
        var spin = default(SharedSlotSpin);
        uint before;
        while (true)
        {
            var word = Volatile.Read(ref *(ulong*)slot);
            before = (uint)word;
            if ((before & 1) == 0 && Interlocked.CompareExchange(ref *(ulong*)slot, Busy(before + 1), word) == word)
                break;
            spin.Once(_label, index, slot);
        }
        encodedValue.CopyTo(new Span<byte>(slot + SharedDictionaryLayout.ValueOffset, encodedValue.Length));
        var after = before + 2;
        Volatile.Write(ref *state, after < Published ? Published : after); // after wraps past uint.MaxValue to 0: skip Empty and Inserting
    }

    /// <summary>The slot's first 8 bytes while this process writes it: <paramref name="state"/> and this process's id.</summary>
    private static ulong Busy(uint state) => state | ((ulong)(uint)Environment.ProcessId << 32);

    private static TValue AddAtomically(ulong* bits, TValue delta)
    {
        if (typeof(TValue) == typeof(int))
        {
            var sum = Interlocked.Add(ref *(int*)bits, Unsafe.As<TValue, int>(ref delta));
            return Unsafe.As<int, TValue>(ref sum);
        }
        if (typeof(TValue) == typeof(long))
        {
            var sum = Interlocked.Add(ref *(long*)bits, Unsafe.As<TValue, long>(ref delta));
            return Unsafe.As<long, TValue>(ref sum);
        }
        if (typeof(TValue) == typeof(uint))
        {
            var sum = Interlocked.Add(ref *(uint*)bits, Unsafe.As<TValue, uint>(ref delta));
            return Unsafe.As<uint, TValue>(ref sum);
        }
        var total = Interlocked.Add(ref *bits, Unsafe.As<TValue, ulong>(ref delta));
        return Unsafe.As<ulong, TValue>(ref total);
    }
}
