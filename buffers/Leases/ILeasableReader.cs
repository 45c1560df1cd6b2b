namespace Puma.Buffers;

/// <summary>
/// A reader end that lends items as bytes without copying them (see <see cref="ItemLease"/>):
/// <see cref="BufferReader{T}"/> and the shared-memory reader end a child process's port is.
/// </summary>
public interface ILeasableReader
{
    /// <summary>
    /// Leases the next item if one is available now. Wait for one with the reader's
    /// <c>WaitToReadAsync</c>. Dispose the lease before taking the next one.
    /// </summary>
    /// <param name="lease">The item's bytes, valid until the lease is disposed.</param>
    /// <returns>False when no item is available now (or the buffer is completed and drained).</returns>
    /// <exception cref="InvalidOperationException">
    /// The item type has no byte layout (the message names it), or the previous lease is not disposed yet.
    /// </exception>
    bool TryLease(out ItemLease lease);
}
