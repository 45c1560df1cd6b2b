using System.Buffers;
using System.Runtime.InteropServices;

namespace Puma.Buffers.Codecs;

/// <summary>Copies a string's UTF-16 code units as raw bytes (no transcoding).</summary>
public sealed class StringCodec : IBufferCodec<string>
{
    /// <inheritdoc />
    public bool TryGetByteCount(string value, out int byteCount)
    {
        byteCount = value.Length * 2; // no overflow: a string has at most 0x3FFFFFDF chars
        return true;
    }

    /// <inheritdoc />
    public void Encode(string value, Span<byte> destination) => MemoryMarshal.AsBytes(value.AsSpan()).CopyTo(destination);

    /// <inheritdoc />
    public void Encode(string value, IBufferWriter<byte> destination) => destination.Write(MemoryMarshal.AsBytes(value.AsSpan()));

    /// <inheritdoc />
    public string Decode(ReadOnlySpan<byte> source)
    {
        if ((source.Length & 1) != 0)
            throw new BufferCorruptedException($"A string message is {source.Length} bytes, not a multiple of 2 (UTF-16).");
        return new string(MemoryMarshal.Cast<byte, char>(source));
    }
}
