namespace Puma.Buffers;

/// <summary>
/// A shared array's segment: the <see cref="SharedHeader"/> with the element size, rank, data offset and the
/// lengths, then the elements, row-major, from <see cref="DataOffset"/>.
/// </summary>
internal static unsafe class SharedArrayLayout
{
    /// <summary>The most dimensions a shared array has (the header has room for this many lengths).</summary>
    public const int MaxRank = 8;

    /// <summary>Where the elements start: after the header, 128-byte aligned.</summary>
    public const int DataOffset = SharedHeader.Size;

    private const int ElementSizeOffset = SharedHeader.FieldsOffset;
    private const int RankOffset = SharedHeader.FieldsOffset + 4;
    private const int DataOffsetOffset = SharedHeader.FieldsOffset + 8;
    private const int LengthsOffset = 32;

    /// <summary>The segment's size for <paramref name="count"/> elements of <paramref name="elementSize"/> bytes.</summary>
    public static long SegmentLength(int count, int elementSize) => DataOffset + ((long)count * elementSize);

    /// <summary>Writes the header of a new array.</summary>
    public static void Initialize(byte* segment, int elementSize, ReadOnlySpan<int> lengths)
    {
        *(int*)(segment + ElementSizeOffset) = elementSize;
        *(int*)(segment + RankOffset) = lengths.Length;
        *(int*)(segment + DataOffsetOffset) = DataOffset;
        for (var i = 0; i < lengths.Length; i++)
            ((int*)(segment + LengthsOffset))[i] = lengths[i];
        SharedHeader.Write(segment, SharedObjectKind.Array);
    }

    /// <summary>Checks that the segment holds an array of exactly this element size and shape, and is long enough for it.</summary>
    /// <exception cref="BufferCorruptedException">It does not; the message names the field, the value found and the one expected.</exception>
    public static void Validate(byte* segment, long length, int elementSize, ReadOnlySpan<int> lengths, string label)
    {
        SharedHeader.Validate(segment, length, SharedObjectKind.Array, label);
        SharedHeader.ReadInt(segment, ElementSizeOffset, elementSize, elementSize, "element size", label);
        SharedHeader.ReadInt(segment, RankOffset, lengths.Length, lengths.Length, "rank", label);
        SharedHeader.ReadInt(segment, DataOffsetOffset, DataOffset, DataOffset, "data offset", label);
        var count = 1L;
        for (var i = 0; i < lengths.Length; i++)
        {
            SharedHeader.ReadInt(segment, LengthsOffset + (4 * i), lengths[i], lengths[i], $"length of dimension {i}", label);
            count *= lengths[i];
        }
        var needed = DataOffset + (count * elementSize);
        if (length < needed)
            throw new BufferCorruptedException($"{label}: the segment is {length} bytes long, shorter than the {needed} bytes its {count} elements of {elementSize} bytes need.");
    }

    /// <summary>Checks a shape and returns its element count.</summary>
    /// <exception cref="ArgumentOutOfRangeException">No lengths, more than <see cref="MaxRank"/>, a negative length, or more than int.MaxValue elements.</exception>
    public static int ElementCount(ReadOnlySpan<int> lengths, string label)
    {
        if (lengths.Length is < 1 or > MaxRank)
            throw new ArgumentOutOfRangeException(nameof(lengths), lengths.Length, $"{label}: {lengths.Length} dimensions; a shared array has 1 to {MaxRank}.");
        var count = 1L;
        for (var i = 0; i < lengths.Length; i++)
        {
            if (lengths[i] < 0)
                throw new ArgumentOutOfRangeException(nameof(lengths), lengths[i], $"{label}: length {lengths[i]} of dimension {i} is negative.");
            count *= lengths[i];
            if (count > int.MaxValue)
                throw new ArgumentOutOfRangeException(nameof(lengths), count, $"{label}: {string.Join(" x ", lengths.ToArray())} elements is more than {int.MaxValue}, the most a Span<T> holds.");
        }
        return (int)count;
    }
}
