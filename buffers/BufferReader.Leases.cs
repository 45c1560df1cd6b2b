using Puma.Buffers.SharedMemory;

namespace Puma.Buffers;

/// <summary>The leased read of a buffer's reader end (see <see cref="ItemLease"/>).</summary>
public sealed partial class BufferReader<T> : ILeasableReader
{
    private InProcessLeases<T>? _leases;

    /// <summary>True once this end is attached to its transport (its reader lives in this process).</summary>
    internal bool IsAttached => Volatile.Read(ref _target) is not null;

    /// <summary>
    /// Leases the next item if one is available now, without copying it: over shared memory its
    /// bytes in the ring (writers cannot reuse that space until the lease is disposed), in process
    /// the item's own memory (handed over). Serves <c>byte[]</c>, <see cref="ReadOnlyMemory{T}"/> and
    /// <see cref="System.Buffers.IMemoryOwner{T}"/> of bytes, arrays of unmanaged structs (their
    /// elements' bytes; view them with <see cref="ItemLease.As{TElement}"/>) and unmanaged structs.
    /// In process an <see cref="System.Buffers.IMemoryOwner{T}"/> item is disposed when its lease
    /// ends (except in a broadcast buffer, whose readers share it), and a large array that a claim of
    /// this buffer made is recycled for a later claim: do not keep or pass on a lease's memory after
    /// its dispose (copy it, or use pooled items, to keep an item).
    /// </summary>
    /// <inheritdoc />
    public bool TryLease(out ItemLease lease)
    {
        var target = Target;
        if (target is SharedMemoryChannelReader<T> ring)
            return ring.TryLease(out lease);
        return (_leases ??= new InProcessLeases<T>(target, _buffer.Mode != BufferMode.Broadcast, RecycledArrays.For(_buffer), _buffer.Mode == BufferMode.Competing)).TryLease(out lease);
    }
}
