using System.Runtime.CompilerServices;
using System.Text;

namespace Puma.Buffers;

/// <summary>
/// How a dictionary key or value of <typeparamref name="T"/> sits in a fixed slot: an unmanaged value as its bytes,
/// a string as a 4-byte UTF-8 length (-1 for null) and its UTF-8 bytes, up to a declared maximum.
/// </summary>
internal static class SharedSlotCodec<T>
{
    /// <summary>The longest string a dictionary accepts as a key or value, in UTF-8 bytes.</summary>
    public const int MaxStringBytes = 4096;

    /// <summary>True for string, stored as UTF-8.</summary>
    public static readonly bool IsString = typeof(T) == typeof(string);

    /// <summary>The kind written in the header: 0 for an unmanaged value, 1 for a string.</summary>
    public static int Kind => IsString ? 1 : 0;

    /// <summary>Why <typeparamref name="T"/> cannot live in a slot, or null when it can.</summary>
    public static string? WhyNotStorable() =>
        IsString || !RuntimeHelpers.IsReferenceOrContainsReferences<T>()
            ? null
            : $"{typeof(T).FullName} is a reference type or holds references; a shared dictionary holds unmanaged types and strings.";

    /// <summary>The bytes of the value itself: sizeof(T), or <paramref name="maxStringBytes"/> for a string.</summary>
    public static int DataBytes(int maxStringBytes) => IsString ? maxStringBytes : Unsafe.SizeOf<T>();

    /// <summary>The slot's size: the data (with the length, for a string) rounded up to 8 bytes.</summary>
    public static int SlotBytes(int maxStringBytes) => ((IsString ? 4 + maxStringBytes : Unsafe.SizeOf<T>()) + 7) & ~7;

    /// <summary>
    /// Writes <paramref name="value"/> into <paramref name="slot"/> (zeroed by the caller when it is compared or hashed).
    /// </summary>
    /// <exception cref="ArgumentException">A string longer than <paramref name="maxStringBytes"/> in UTF-8; the message names its length and the limit.</exception>
    public static void Encode(T value, Span<byte> slot, int maxStringBytes, string label, string what)
    {
        if (!IsString)
        {
            Unsafe.WriteUnaligned(ref slot[0], value);
            return;
        }
        var text = Unsafe.As<T, string?>(ref value);
        if (text is null)
        {
            Unsafe.WriteUnaligned(ref slot[0], -1);
            return;
        }
        var bytes = Encoding.UTF8.GetByteCount(text);
        if (bytes > maxStringBytes)
        {
            var shown = text.Length <= 40 ? text : text[..37] + "...";
            throw new ArgumentException($"{label}: the {what} \"{shown}\" is {bytes} UTF-8 bytes long, more than the limit of {maxStringBytes} bytes it was created with.", what);
        }
        Unsafe.WriteUnaligned(ref slot[0], bytes);
        Encoding.UTF8.GetBytes(text, slot.Slice(4, bytes));
    }

    /// <summary>Reads a value written by <see cref="Encode"/>.</summary>
    /// <exception cref="BufferCorruptedException">A string's length is outside -1..<paramref name="maxStringBytes"/>.</exception>
    public static T Decode(ReadOnlySpan<byte> slot, int maxStringBytes, string label)
    {
        if (!IsString)
            return Unsafe.ReadUnaligned<T>(in slot[0]);
        var bytes = Unsafe.ReadUnaligned<int>(in slot[0]);
        if (bytes < -1 || bytes > maxStringBytes)
            throw new BufferCorruptedException($"{label}: a string's length {bytes} is outside -1..{maxStringBytes}.");
        var text = bytes < 0 ? null : Encoding.UTF8.GetString(slot.Slice(4, bytes));
        return Unsafe.As<string?, T>(ref text);
    }

    /// <summary>The bytes of an encoded value that matter (so that keys compare on them only).</summary>
    public static int UsedBytes(ReadOnlySpan<byte> slot) =>
        IsString ? 4 + Math.Max(0, Unsafe.ReadUnaligned<int>(in slot[0])) : Unsafe.SizeOf<T>();
}
