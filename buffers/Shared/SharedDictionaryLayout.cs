namespace Puma.Buffers;

/// <summary>
/// A shared dictionary's segment: the <see cref="SharedHeader"/> with its shape, the entry count on its own cache
/// line, then <see cref="SlotCount"/> slots from <see cref="SharedHeader.Size"/>. A slot is its state (int: 0 empty,
/// 1 being inserted, then even when stable and odd while a wide value is written), the process id of its last writer
/// (int: set in the same 8-byte compare-and-swap that makes the state busy, so a waiter can tell a slow writer from a
/// dead one), the key's hash (int), 4 bytes of padding, the value (8 bytes when it is updated atomically, else its
/// encoded size rounded to 8) and the key (its encoded size rounded to 8).
/// </summary>
/// <param name="Capacity">The most entries.</param>
/// <param name="SlotCount">Slots: a power of two with room for a third more than <paramref name="Capacity"/>, so probes stay short.</param>
/// <param name="KeyKind">0 for an unmanaged key, 1 for a string.</param>
/// <param name="KeyBytes">The key's size, or a string key's most UTF-8 bytes.</param>
/// <param name="ValueKind">0 for an unmanaged value, 1 for a string.</param>
/// <param name="ValueBytes">The value's size, or a string value's most UTF-8 bytes.</param>
internal sealed record SharedDictionaryLayout(int Capacity, int SlotCount, int KeyKind, int KeyBytes, int ValueKind, int ValueBytes)
{
    /// <summary>The most entries a dictionary has.</summary>
    public const int MaxCapacity = 1 << 28;

    /// <summary>The largest segment a dictionary may take: 16 GiB.</summary>
    public const long MaxSegmentLength = 16L << 30;

    /// <summary>The entry count (int).</summary>
    public const int CountOffset = 64;

    private const int CapacityOffset = SharedHeader.FieldsOffset;
    private const int SlotCountOffset = SharedHeader.FieldsOffset + 4;
    private const int SlotSizeOffset = SharedHeader.FieldsOffset + 8;
    private const int KeyKindOffset = SharedHeader.FieldsOffset + 12;
    private const int KeyBytesOffset = SharedHeader.FieldsOffset + 16;
    private const int ValueKindOffset = SharedHeader.FieldsOffset + 20;
    private const int ValueBytesOffset = SharedHeader.FieldsOffset + 24;

    /// <summary>True when the value is an unmanaged type of at most 8 bytes: read and written with one atomic instruction, no slot lock.</summary>
    public bool ValueIsAtomic { get; } = ValueKind == 0 && ValueBytes <= 8;

    /// <summary>The value's room in a slot.</summary>
    public int ValueSlotBytes { get; } = ValueKind == 0 && ValueBytes <= 8 ? 8 : (((ValueKind == 1 ? 4 : 0) + ValueBytes + 7) & ~7);

    /// <summary>The key's room in a slot.</summary>
    public int KeySlotBytes { get; } = ((KeyKind == 1 ? 4 : 0) + KeyBytes + 7) & ~7;

    /// <summary>Where the writer's process id is in a slot (the high half of the 8-byte word the state starts).</summary>
    public const int WriterOffset = 4;

    /// <summary>Where the key's hash is in a slot.</summary>
    public const int HashOffset = 8;

    /// <summary>Where the value starts in a slot.</summary>
    public const int ValueOffset = 16;

    /// <summary>Where the key starts in a slot.</summary>
    public int KeyOffset => ValueOffset + ValueSlotBytes;

    /// <summary>A slot's size.</summary>
    public int SlotSize => KeyOffset + KeySlotBytes;

    /// <summary>The segment's size.</summary>
    public long SegmentLength => SharedHeader.Size + ((long)SlotCount * SlotSize);

    /// <summary>The layout for <paramref name="capacity"/> entries.</summary>
    public static SharedDictionaryLayout For(int capacity, int keyKind, int keyBytes, int valueKind, int valueBytes)
    {
        var slots = 2;
        while (slots < capacity + (capacity / 3) + 1)
            slots *= 2;
        return new SharedDictionaryLayout(capacity, slots, keyKind, keyBytes, valueKind, valueBytes);
    }

    /// <summary>Writes the header of a new dictionary.</summary>
    public unsafe void Initialize(byte* segment)
    {
        *(int*)(segment + CapacityOffset) = Capacity;
        *(int*)(segment + SlotCountOffset) = SlotCount;
        *(int*)(segment + SlotSizeOffset) = SlotSize;
        *(int*)(segment + KeyKindOffset) = KeyKind;
        *(int*)(segment + KeyBytesOffset) = KeyBytes;
        *(int*)(segment + ValueKindOffset) = ValueKind;
        *(int*)(segment + ValueBytesOffset) = ValueBytes;
        SharedHeader.Write(segment, SharedObjectKind.Dictionary);
    }

    /// <summary>
    /// Reads and checks the layout of a dictionary whose key and value have the given kinds; the sizes of unmanaged
    /// types must match exactly (<paramref name="keyBytes"/>, <paramref name="valueBytes"/>), a string's maximum is read.
    /// </summary>
    /// <exception cref="BufferCorruptedException">A field is not valid; the message names it, the value and the range.</exception>
    public static unsafe SharedDictionaryLayout Read(byte* segment, long length, int keyKind, int keyBytes, int valueKind, int valueBytes, string label)
    {
        SharedHeader.Validate(segment, length, SharedObjectKind.Dictionary, label);
        var capacity = SharedHeader.ReadInt(segment, CapacityOffset, 1, MaxCapacity, "capacity", label);
        SharedHeader.ReadInt(segment, KeyKindOffset, keyKind, keyKind, "key kind", label);
        SharedHeader.ReadInt(segment, ValueKindOffset, valueKind, valueKind, "value kind", label);
        var keys = keyKind == 1
            ? SharedHeader.ReadInt(segment, KeyBytesOffset, 1, SharedSlotCodec<string>.MaxStringBytes, "key length limit", label)
            : SharedHeader.ReadInt(segment, KeyBytesOffset, keyBytes, keyBytes, "key size", label);
        var values = valueKind == 1
            ? SharedHeader.ReadInt(segment, ValueBytesOffset, 1, SharedSlotCodec<string>.MaxStringBytes, "value length limit", label)
            : SharedHeader.ReadInt(segment, ValueBytesOffset, valueBytes, valueBytes, "value size", label);
        var layout = For(capacity, keyKind, keys, valueKind, values);
        SharedHeader.ReadInt(segment, SlotCountOffset, layout.SlotCount, layout.SlotCount, "slot count", label);
        SharedHeader.ReadInt(segment, SlotSizeOffset, layout.SlotSize, layout.SlotSize, "slot size", label);
        if (length < layout.SegmentLength)
            throw new BufferCorruptedException($"{label}: the segment is {length} bytes long, shorter than the {layout.SegmentLength} bytes of its {layout.SlotCount} slots.");
        return layout;
    }
}
