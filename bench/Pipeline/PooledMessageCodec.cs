using System.Buffers;
using System.Buffers.Binary;
using Puma.Buffers.Codecs;

namespace Puma.Bench.Pipeline;

/// <summary>
/// <see cref="PooledMessage"/> as 16 header bytes (sequence number, timestamp) and the payload.
/// Encoding hands the message on: after copying, the payload goes back to the pool. Decoding rents
/// the payload from the pool.
/// </summary>
public sealed class PooledMessageCodec : IBufferCodec<PooledMessage>
{
    private const int HeaderBytes = 16;

    /// <inheritdoc/>
    public bool TryGetByteCount(PooledMessage value, out int byteCount)
    {
        byteCount = HeaderBytes + value.Length;
        return true;
    }

    /// <inheritdoc/>
    public void Encode(PooledMessage value, Span<byte> destination)
    {
        BinaryPrimitives.WriteInt64LittleEndian(destination, value.Seq);
        BinaryPrimitives.WriteInt64LittleEndian(destination[8..], value.Stamp);
        value.Payload.AsSpan(0, value.Length).CopyTo(destination[HeaderBytes..]);
        value.Release();
    }

    /// <inheritdoc/>
    public PooledMessage Decode(ReadOnlySpan<byte> source)
    {
        if (source.Length < HeaderBytes)
            throw new InvalidDataException($"A PooledMessage record of {source.Length} bytes is shorter than its header.");
        var payload = source[HeaderBytes..];
        var array = ArrayPool<byte>.Shared.Rent(payload.Length);
        payload.CopyTo(array);
        return new PooledMessage(BinaryPrimitives.ReadInt64LittleEndian(source), BinaryPrimitives.ReadInt64LittleEndian(source[8..]), array, payload.Length);
    }
}
