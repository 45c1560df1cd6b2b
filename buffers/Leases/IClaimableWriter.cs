namespace Puma.Buffers;

/// <summary>
/// A writer end that lets the caller write an item's bytes in place: claim a span of the item's
/// exact length, fill it, then <see cref="Commit"/> it (or <see cref="Abort"/>: the item is never
/// delivered). <see cref="BufferWriter{T}"/> and the shared-memory writer end a child process's port is.
/// </summary>
/// <remarks>
/// The bytes are the item's byte layout: a <c>byte[]</c> or <see cref="ReadOnlyMemory{T}"/> or
/// <see cref="System.Buffers.IMemoryOwner{T}"/> of bytes as is, an array of unmanaged structs as its
/// elements' bytes (a multiple of the element size), an unmanaged struct as its bytes (exactly its size).
/// One claim at a time per writer end (<see cref="Commit"/> names no claim): runnables of one process
/// that share a writer end must not claim at the same time; a second claim while one is pending
/// throws. Nothing is visible to readers before <see cref="Commit"/>.
/// </remarks>
public interface IClaimableWriter
{
    /// <summary>Claims room for one item of <paramref name="length"/> bytes without waiting.</summary>
    /// <param name="length">The item's exact length in bytes.</param>
    /// <param name="span">Where to write the item; valid until <see cref="Commit"/> or <see cref="Abort"/>.</param>
    /// <returns>False when there is no room now or the buffer is completed.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The length does not fit the item type, or is larger than the ring's largest message (both sizes named).</exception>
    /// <exception cref="InvalidOperationException">The item type has no byte layout (named), or a claim is pending.</exception>
    bool TryClaim(int length, out Span<byte> span);

    /// <summary>Claims room for one item of <paramref name="length"/> bytes, waiting for room as long as needed.</summary>
    /// <param name="length">The item's exact length in bytes.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>Where to write the item; valid until <see cref="Commit"/> or <see cref="Abort"/>.</returns>
    /// <exception cref="System.Threading.Channels.ChannelClosedException">The buffer was completed.</exception>
    ValueTask<Memory<byte>> ClaimAsync(int length, CancellationToken cancellationToken = default);

    /// <summary>Delivers the claimed item to the readers.</summary>
    /// <exception cref="InvalidOperationException">No claim is pending.</exception>
    void Commit();

    /// <summary>Abandons the claimed item: it is never delivered.</summary>
    /// <exception cref="InvalidOperationException">No claim is pending.</exception>
    void Abort();
}
