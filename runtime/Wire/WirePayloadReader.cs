using System.Buffers.Binary;

namespace Puma.Runtime.Wire;

/// <summary>
/// Reads the fields of a binary control-frame payload (<see cref="MessageFrame"/>, <see cref="ReplyFrame"/>,
/// <see cref="StatusFrame"/>) in order, checking every length against what is left, so a short or corrupt payload
/// gives an <see cref="InvalidDataException"/> naming the frame kind, the field, the bad value and the limit.
/// </summary>
internal ref struct WirePayloadReader
{
    /// <summary>The longest type name accepted, in UTF-8 bytes.</summary>
    public const int MaxTypeNameLength = 4096;

    private readonly ReadOnlySpan<byte> _payload;
    private readonly ControlMessageKind _kind;
    private int _offset;

    /// <summary>A reader at the start of <paramref name="payload"/>, a <paramref name="kind"/> frame's payload.</summary>
    public WirePayloadReader(ReadOnlySpan<byte> payload, ControlMessageKind kind)
    {
        _payload = payload;
        _kind = kind;
    }

    /// <summary>Reads a little-endian int64.</summary>
    public long ReadInt64(string field) => BinaryPrimitives.ReadInt64LittleEndian(Take(sizeof(long), field));

    /// <summary>Reads a little-endian int16.</summary>
    public short ReadInt16(string field) => BinaryPrimitives.ReadInt16LittleEndian(Take(sizeof(short), field));

    /// <summary>Reads a little-endian int32.</summary>
    public int ReadInt32(string field) => BinaryPrimitives.ReadInt32LittleEndian(Take(sizeof(int), field));

    /// <summary>Reads a string: its UTF-8 length (int32, 0..what is left) and its bytes.</summary>
    public string ReadString(string field)
    {
        var length = ReadInt32($"{field} length");
        if (length < 0 || length > _payload.Length - _offset)
            throw Corrupt($"{field} length {length} at offset {_offset - sizeof(int)} is outside 0..{_payload.Length - _offset} bytes (what is left)");
        return System.Text.Encoding.UTF8.GetString(Take(length, field));
    }

    /// <summary>Reads a string that may be absent: a presence byte (0 or 1), then the string.</summary>
    public string? ReadOptionalString(string field) =>
        ReadByte($"{field} presence") switch
        {
            0 => null,
            1 => ReadString(field),
            var other => throw Corrupt($"{field} presence byte {other} at offset {_offset - 1} is neither 0 nor 1"),
        };

    /// <summary>True when every byte has been read (an optional trailing field is absent).</summary>
    public readonly bool AtEnd => _offset == _payload.Length;

    /// <summary>Throws when bytes are left over after the last field.</summary>
    public readonly void ExpectEnd()
    {
        if (_offset != _payload.Length)
            throw Corrupt($"{_payload.Length - _offset} bytes are left over after the last field, at offset {_offset}");
    }

    /// <summary>Reads one byte.</summary>
    public byte ReadByte(string field) => Take(1, field)[0];

    /// <summary>Reads a type name: its UTF-8 length (int32, 1..<see cref="MaxTypeNameLength"/>) and its bytes.</summary>
    public ReadOnlySpan<byte> ReadTypeName()
    {
        var length = BinaryPrimitives.ReadInt32LittleEndian(Take(sizeof(int), "type name length"));
        if (length < 1 || length > MaxTypeNameLength)
            throw Corrupt($"type name length {length} at offset {_offset - sizeof(int)} is outside 1..{MaxTypeNameLength} bytes");
        return Take(length, "type name");
    }

    /// <summary>The rest of the payload (the value's JSON); throws when it is empty.</summary>
    public ReadOnlySpan<byte> ReadRest(string field)
    {
        if (_offset >= _payload.Length)
            throw Corrupt($"{field} is missing at offset {_offset} (payload of {_payload.Length} bytes)");
        var rest = _payload[_offset..];
        _offset = _payload.Length;
        return rest;
    }

    /// <summary>An error naming this frame's kind and <paramref name="what"/>.</summary>
    public readonly InvalidDataException Corrupt(string what) => new($"Corrupt {_kind} frame: {what}.");

    private ReadOnlySpan<byte> Take(int count, string field)
    {
        if (_payload.Length - _offset < count)
            throw Corrupt($"{field} needs {count} bytes at offset {_offset}, but the payload has {_payload.Length} bytes");
        var span = _payload.Slice(_offset, count);
        _offset += count;
        return span;
    }
}
