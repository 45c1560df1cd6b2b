using System.Buffers;

namespace Puma.Buffers.Codecs;

/// <summary>
/// Turns items of <typeparamref name="T"/> into bytes and back for a cross-process buffer.
/// Codecs that know an item's size up front (<see cref="TryGetByteCount"/>) are encoded straight
/// into the ring; the others encode into a scratch buffer that is then copied.
/// </summary>
/// <typeparam name="T">The item type.</typeparam>
public interface IBufferCodec<T>
{
    /// <summary>The exact encoded size of <paramref name="value"/>, when the codec knows it without encoding.</summary>
    /// <param name="value">The item (never null).</param>
    /// <param name="byteCount">The exact number of bytes <see cref="Encode(T, Span{byte})"/> writes.</param>
    bool TryGetByteCount(T value, out int byteCount);

    /// <summary>Encodes into a span of exactly the size <see cref="TryGetByteCount"/> reported.</summary>
    void Encode(T value, Span<byte> destination);

    /// <summary>
    /// Encodes into a growing buffer (used when the size is not known up front). The default
    /// implementation serves codecs that always know the size: it encodes into a span of
    /// <see cref="TryGetByteCount"/> bytes; a codec whose <see cref="TryGetByteCount"/> can return
    /// false must override it.
    /// </summary>
    /// <exception cref="NotSupportedException">The default implementation, when the size is not known.</exception>
    void Encode(T value, IBufferWriter<byte> destination)
    {
        if (!TryGetByteCount(value, out var count))
            throw new NotSupportedException($"{GetType().Name} does not know the size of this {typeof(T).Name} up front, so it must implement Encode(T, IBufferWriter<byte>).");
        Encode(value, destination.GetSpan(count));
        destination.Advance(count);
    }

    /// <summary>Rebuilds an item from its bytes; the span is only valid during the call.</summary>
    T Decode(ReadOnlySpan<byte> source);
}
