using System.Buffers;
using System.Buffers.Binary;
using System.Text;

namespace Puma.Runtime.Wire;

/// <summary>
/// The writing side of <see cref="WirePayloadReader"/> for the binary frames: little-endian int32s and strings as an
/// int32 UTF-8 length and the bytes, an optional string after a presence byte.
/// </summary>
internal static class WirePayloadWriter
{
    /// <summary>Writes <paramref name="value"/> as int32 little endian.</summary>
    public static void WriteInt32(IBufferWriter<byte> buffer, int value)
    {
        BinaryPrimitives.WriteInt32LittleEndian(buffer.GetSpan(sizeof(int)), value);
        buffer.Advance(sizeof(int));
    }

    /// <summary>Writes one byte.</summary>
    public static void WriteByte(IBufferWriter<byte> buffer, byte value)
    {
        buffer.GetSpan(1)[0] = value;
        buffer.Advance(1);
    }

    /// <summary>Writes <paramref name="value"/>'s UTF-8 length (int32) and bytes; read by <see cref="WirePayloadReader.ReadString"/>.</summary>
    public static void WriteString(IBufferWriter<byte> buffer, string value)
    {
        var length = Encoding.UTF8.GetByteCount(value);
        WriteInt32(buffer, length);
        Encoding.UTF8.GetBytes(value, buffer.GetSpan(length));
        buffer.Advance(length);
    }

    /// <summary>Writes a presence byte, then the string when there is one; read by <see cref="WirePayloadReader.ReadOptionalString"/>.</summary>
    public static void WriteOptionalString(IBufferWriter<byte> buffer, string? value)
    {
        WriteByte(buffer, value is null ? (byte)0 : (byte)1);
        if (value is not null)
            WriteString(buffer, value);
    }
}
