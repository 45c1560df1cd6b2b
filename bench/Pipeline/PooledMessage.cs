using System.Buffers;
using Puma.Buffers.Codecs;

namespace Puma.Bench.Pipeline;

/// <summary>
/// The large message with a pooled payload (<see cref="ArrayPool{T}.Shared"/>) and one ownership
/// rule: whoever holds the message owns the payload; writing it to a buffer hands it on. In process
/// the reference moves to the reader; across processes <see cref="PooledMessageCodec"/> copies it
/// into the ring and returns the array to the pool at once, and the reading side rents one to
/// decode into. The consumer returns the payload when it is done (<see cref="Release"/>). So no
/// stage allocates an array per message.
/// </summary>
/// <param name="Seq">Sequence number.</param>
/// <param name="Stamp">Stopwatch timestamp at produce.</param>
/// <param name="Payload">The rented payload array (at least <paramref name="Length"/> bytes).</param>
/// <param name="Length">The payload's length.</param>
[BufferCodec(typeof(PooledMessageCodec))]
public readonly record struct PooledMessage(long Seq, long Stamp, byte[] Payload, int Length) : IPipelineMessage<PooledMessage>
{
    /// <summary>Rents a payload of the template's length (its content is not copied: the producer sends whatever the array holds).</summary>
    public static PooledMessage Create(long seq, long stamp, byte[]? payload)
    {
        var length = payload?.Length ?? 0;
        return new PooledMessage(seq, stamp, ArrayPool<byte>.Shared.Rent(length), length);
    }

    /// <inheritdoc/>
    public int Size => Length;

    /// <summary>Returns the payload to the pool.</summary>
    public void Release() => ArrayPool<byte>.Shared.Return(Payload);
}
