using System.Buffers;

namespace Puma.Buffers.Codecs;

/// <summary>Copies a byte array as is.</summary>
public sealed class ByteArrayCodec : IBufferCodec<byte[]>
{
    /// <inheritdoc />
    public bool TryGetByteCount(byte[] value, out int byteCount)
    {
        byteCount = value.Length;
        return true;
    }

    /// <inheritdoc />
    public void Encode(byte[] value, Span<byte> destination) => value.CopyTo(destination);

    /// <inheritdoc />
    public void Encode(byte[] value, IBufferWriter<byte> destination) => destination.Write(value);

    /// <inheritdoc />
    /// <remarks>The array is allocated uninitialized (every byte is copied over at once): a large item is not zeroed first.</remarks>
    public byte[] Decode(ReadOnlySpan<byte> source)
    {
        var array = GC.AllocateUninitializedArray<byte>(source.Length);
        source.CopyTo(array);
        return array;
    }
}
