namespace Puma.Buffers;

/// <summary>
/// A shared value's segment: the <see cref="SharedHeader"/> with the value's size; on the next cache line the change
/// counter (the futex word change waits park on) and the number of waiting threads; on the line after, the value
/// itself, zero-extended to 8 bytes, so the writers' traffic never touches the waiters' line.
/// </summary>
internal static unsafe class SharedValueLayout
{
    /// <summary>The widest value: one atomic instruction updates it.</summary>
    public const int MaxSize = 8;

    /// <summary>The change counter (int), bumped by writers while someone waits.</summary>
    public const int ChangesOffset = SharedHeader.Size;

    /// <summary>Set (1) by a thread, in any process, about to park in a change wait; cleared by the next writer (int).</summary>
    public const int ParkedOffset = SharedHeader.Size + 4;

    /// <summary>The value (8 bytes, aligned).</summary>
    public const int ValueOffset = SharedHeader.Size + 64;

    /// <summary>The segment's size.</summary>
    public const int SegmentLength = ValueOffset + 64;

    private const int SizeOffset = SharedHeader.FieldsOffset;

    /// <summary>Writes the header of a new value of <paramref name="size"/> bytes.</summary>
    public static void Initialize(byte* segment, int size)
    {
        *(int*)(segment + SizeOffset) = size;
        SharedHeader.Write(segment, SharedObjectKind.Value);
    }

    /// <summary>Checks that the segment holds a value of <paramref name="size"/> bytes.</summary>
    /// <exception cref="BufferCorruptedException">It does not; the message names the field and the value found.</exception>
    public static void Validate(byte* segment, long length, int size, string label)
    {
        SharedHeader.Validate(segment, length, SharedObjectKind.Value, label);
        SharedHeader.ReadInt(segment, SizeOffset, size, size, "value size", label);
        if (length < SegmentLength)
            throw new BufferCorruptedException($"{label}: the segment is {length} bytes long, shorter than a shared value's {SegmentLength}.");
    }
}
