using System.Buffers;
using Puma.Buffers.Leases;

namespace Puma.Buffers.Codecs;

/// <summary>
/// Moves pooled memory (<see cref="IMemoryOwner{T}"/> of bytes) through a shared-memory buffer: for
/// readers that keep an item past their handler without allocating per item.
/// </summary>
/// <remarks>
/// <para>Who owns what: a writer gives up an owner it writes successfully. Encoding copies the
/// owner's bytes into the ring and then <b>disposes the owner</b> (the ring's writer encodes only
/// once it holds room, so a write that returns false or throws before that leaves the owner with
/// the caller). In process no codec is involved: the owner itself is handed to the reader.</para>
/// <para>The reader owns every owner it reads and disposes it when done: decoding rents an array
/// from <see cref="ArrayPool{T}.Shared"/> and slices it to the exact length, so disposing gives the
/// array back for the next item.</para>
/// </remarks>
public sealed class MemoryOwnerCodec : IBufferCodec<IMemoryOwner<byte>>
{
    /// <inheritdoc />
    public bool TryGetByteCount(IMemoryOwner<byte> value, out int byteCount)
    {
        byteCount = value.Memory.Length;
        return true;
    }

    /// <inheritdoc />
    /// <remarks>Disposes <paramref name="value"/> once its bytes are copied.</remarks>
    public void Encode(IMemoryOwner<byte> value, Span<byte> destination)
    {
        value.Memory.Span.CopyTo(destination);
        value.Dispose();
    }

    /// <inheritdoc />
    /// <remarks>Disposes <paramref name="value"/> once its bytes are copied.</remarks>
    public void Encode(IMemoryOwner<byte> value, IBufferWriter<byte> destination)
    {
        destination.Write(value.Memory.Span);
        value.Dispose();
    }

    /// <inheritdoc />
    /// <returns>An owner of exactly <paramref name="source"/>'s length over an array rented from <see cref="ArrayPool{T}.Shared"/>; dispose it to give the array back.</returns>
    public IMemoryOwner<byte> Decode(ReadOnlySpan<byte> source)
    {
        var owner = new PooledMemoryOwner(source.Length);
        source.CopyTo(owner.Memory.Span);
        return owner;
    }
}
