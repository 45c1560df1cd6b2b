namespace Puma.Buffers;

/// <summary>
/// The first bytes of every shared object's segment: magic, layout version and kind. Each kind keeps its own
/// fields after them, below <see cref="Size"/>; its data starts at <see cref="Size"/> or later.
/// </summary>
internal static unsafe class SharedHeader
{
    /// <summary>"PUMASHR1" in ASCII, little-endian.</summary>
    public const ulong Magic = 0x3152_4853_414D_5550;

    /// <summary>The layout version this build writes and reads.</summary>
    public const int Version = 1;

    /// <summary>Header bytes: two cache lines, so the data never shares one with the header.</summary>
    public const int Size = 128;

    /// <summary>Offset of the first kind-specific field.</summary>
    public const int FieldsOffset = 16;

    /// <summary>Writes the version and kind, then (last, with release) the magic.</summary>
    public static void Write(byte* segment, SharedObjectKind kind)
    {
        *(int*)(segment + 8) = Version;
        *(int*)(segment + 12) = (int)kind;
        Volatile.Write(ref *(ulong*)segment, Magic);
    }

    /// <summary>Checks the magic, version and kind; <paramref name="label"/> names the object in the error.</summary>
    /// <exception cref="BufferCorruptedException">A field is not what Puma writes for <paramref name="kind"/>.</exception>
    public static void Validate(byte* segment, long length, SharedObjectKind kind, string label)
    {
        if (length < Size)
            throw new BufferCorruptedException($"{label}: the segment is {length} bytes long, shorter than the {Size}-byte header.");
        var magic = Volatile.Read(ref *(ulong*)segment);
        if (magic != Magic)
            throw new BufferCorruptedException($"{label}: magic 0x{magic:X16} is not the Puma shared object magic 0x{Magic:X16}.");
        var version = *(int*)(segment + 8);
        if (version != Version)
            throw new BufferCorruptedException($"{label}: layout version {version} is not the supported version {Version}.");
        var found = *(int*)(segment + 12);
        if (found != (int)kind)
            throw new BufferCorruptedException($"{label}: kind {found} is not {(int)kind} ({kind}).");
    }

    /// <summary>Reads the int at <paramref name="offset"/> and checks it lies in <paramref name="min"/>..<paramref name="max"/>.</summary>
    /// <exception cref="BufferCorruptedException">It does not; the message names <paramref name="field"/>, the value and the range.</exception>
    public static int ReadInt(byte* segment, int offset, int min, int max, string field, string label)
    {
        var value = *(int*)(segment + offset);
        if (value < min || value > max)
            throw new BufferCorruptedException($"{label}: {field} {value} is outside {min}..{max}.");
        return value;
    }
}
