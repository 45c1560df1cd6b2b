using System.Buffers;

namespace Puma.Buffers.Codecs;

/// <summary>Copies a <see cref="ReadOnlyMemory{T}"/> of bytes as is; decoding gives a fresh array.</summary>
public sealed class ReadOnlyMemoryCodec : IBufferCodec<ReadOnlyMemory<byte>>
{
    /// <inheritdoc />
    public bool TryGetByteCount(ReadOnlyMemory<byte> value, out int byteCount)
    {
        byteCount = value.Length;
        return true;
    }

    /// <inheritdoc />
    public void Encode(ReadOnlyMemory<byte> value, Span<byte> destination) => value.Span.CopyTo(destination);

    /// <inheritdoc />
    public void Encode(ReadOnlyMemory<byte> value, IBufferWriter<byte> destination) => destination.Write(value.Span);

    /// <inheritdoc />
    public ReadOnlyMemory<byte> Decode(ReadOnlySpan<byte> source)
    {
        var array = GC.AllocateUninitializedArray<byte>(source.Length); // copied over at once: not zeroed first
        source.CopyTo(array);
        return array;
    }
}
