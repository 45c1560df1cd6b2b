using System.Buffers.Binary;
using Puma.Buffers.Codecs;

namespace Puma.Bench.Pipeline;

/// <summary>
/// <see cref="LargeMessage"/> as 16 header bytes (sequence number, timestamp) and the raw payload,
/// encoded straight into the ring (its size is known up front). Decoding copies the payload into a
/// new array, as a codec returning an owned <c>byte[]</c> must.
/// </summary>
public sealed class LargeMessageCodec : IBufferCodec<LargeMessage>
{
    private const int HeaderBytes = 16;

    /// <inheritdoc/>
    public bool TryGetByteCount(LargeMessage value, out int byteCount)
    {
        byteCount = HeaderBytes + value.Payload.Length;
        return true;
    }

    /// <inheritdoc/>
    public void Encode(LargeMessage value, Span<byte> destination)
    {
        BinaryPrimitives.WriteInt64LittleEndian(destination, value.Seq);
        BinaryPrimitives.WriteInt64LittleEndian(destination[8..], value.Stamp);
        value.Payload.CopyTo(destination[HeaderBytes..]);
    }

    /// <inheritdoc/>
    public LargeMessage Decode(ReadOnlySpan<byte> source)
    {
        if (source.Length < HeaderBytes)
            throw new InvalidDataException($"A LargeMessage record of {source.Length} bytes is shorter than its header.");
        return new LargeMessage(BinaryPrimitives.ReadInt64LittleEndian(source), BinaryPrimitives.ReadInt64LittleEndian(source[8..]),
            source[HeaderBytes..].ToArray());
    }
}
