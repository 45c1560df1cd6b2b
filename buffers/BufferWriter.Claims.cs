using Puma.Buffers.SharedMemory;

namespace Puma.Buffers;

/// <summary>The claimed write of a buffer's writer end (see <see cref="IClaimableWriter"/>).</summary>
public sealed partial class BufferWriter<T> : IClaimableWriter
{
    private InProcessClaims<T>? _claims;

    /// <summary>
    /// Claims room for one item of <paramref name="length"/> bytes without waiting. Over shared
    /// memory the span is in the ring (the fill is the only copy); in process it is the item's own
    /// new array of exactly that length (uninitialized), which <see cref="Commit"/> hands to the reader.
    /// </summary>
    /// <inheritdoc />
    public bool TryClaim(int length, out Span<byte> span) => Target is SharedMemoryChannelWriter<T> ring
        ? ring.TryClaim(length, out span)
        : InProcess.TryClaim(length, out span);

    /// <summary>Claims room for one item of <paramref name="length"/> bytes, waiting for room as long as needed.</summary>
    /// <inheritdoc />
    public ValueTask<Memory<byte>> ClaimAsync(int length, CancellationToken cancellationToken = default) => Target is SharedMemoryChannelWriter<T> ring
        ? ring.ClaimAsync(length, cancellationToken)
        : InProcess.ClaimAsync(length, cancellationToken);

    /// <summary>
    /// Delivers the claimed item. In process, if another writer of the buffer took the room since the
    /// claim, this waits (blocking) for room rather than lose the item.
    /// </summary>
    /// <inheritdoc />
    public void Commit()
    {
        if (Target is SharedMemoryChannelWriter<T> ring)
        {
            ring.Commit();
            return;
        }
        InProcess.Commit();
        _tally.AddItem();
    }

    /// <summary>Abandons the claimed item: it is never delivered.</summary>
    /// <inheritdoc />
    public void Abort()
    {
        if (Target is SharedMemoryChannelWriter<T> ring)
            ring.Abort();
        else
            InProcess.Abort();
    }

    private InProcessClaims<T> InProcess
    {
        get
        {
            if (_claims is { } claims)
                return claims;
            var target = Target;
            if (target is DetachedWriter<T> detached)
                throw detached.Elsewhere();
            // The room a claim checks: the broadcast channel's own probe (every attached reader below
            // capacity), else the item-bounded channel's count.
            var capacity = _buffer.Capacity;
            var reader = _buffer.ReaderEnds[0];
            Func<bool> hasRoom = target is IRoomProbe probe
                ? () => probe.HasRoom
                : () => !reader.IsAttached || !reader.CanCount || reader.Count < capacity;
            return _claims = new InProcessClaims<T>(target, hasRoom, RecycledArrays.For(_buffer), ToString());
        }
    }
}
