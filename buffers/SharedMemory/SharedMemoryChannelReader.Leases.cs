using Puma.Buffers.Leases;

namespace Puma.Buffers.SharedMemory;

/// <summary>The leased read: an item's bytes straight from the ring, released on the lease's dispose.</summary>
public sealed partial class SharedMemoryChannelReader<T> : ILeasableReader, ILeaseOwner
{
    private RingMemory? _leaseMemory;
    private long _leaseToken;
    private bool _leased;

    /// <summary>
    /// Leases the next item if one is available now: its bytes in the ring, no copy. The record stays
    /// acquired (writers cannot reuse its space, nor the space after it) until the lease is disposed.
    /// </summary>
    /// <inheritdoc />
    /// <exception cref="BufferCorruptedException">A record in shared memory is out of bounds.</exception>
    public bool TryLease(out ItemLease lease)
    {
        ItemLayout<T>.EnsureSupported("lease");
        if (_leased)
            throw new InvalidOperationException($"{_reader.Ring.Label}, reader slot {_reader.Slot}: the previous lease is still held; dispose it before leasing the next item.");
        if (_reader.TryAcquireCore(out var message, out _))
        {
            _leaseMemory ??= new RingMemory(_reader.Ring);
            _leased = true;
            lease = new ItemLease(this, ++_leaseToken, _leaseMemory.Of(message));
            return true;
        }
        lease = default;
        if (_reader.Ring.IsCompleted) NoteCompletion();
        return false;
    }

    /// <inheritdoc />
    void ILeaseOwner.EndLease(long token, HeldItem? held)
    {
        if (!_leased || token != _leaseToken)
            return;
        _leased = false;
        if (_reader.HasAcquired)
            _reader.Release();
    }
}
