using Puma.Buffers.Leases;

namespace Puma.Buffers.SharedMemory;

/// <summary>The claimed write: an item's bytes written in place in the ring (the caller's fill is the only copy).</summary>
public sealed partial class SharedMemoryChannelWriter<T> : IClaimableWriter
{
    private RingMemory? _claimMemory;

    /// <summary>Claims <paramref name="length"/> bytes in the ring for one item, without waiting.</summary>
    /// <inheritdoc />
    public bool TryClaim(int length, out Span<byte> span)
    {
        ItemLayout<T>.EnsureSupported("claim");
        ItemLayout<T>.EnsureLength(length);
        if (_writer.HasClaim)
            throw new InvalidOperationException($"{_writer.Ring.Label}: a claim is pending; commit or abort it before claiming the next item.");
        return _writer.TryClaim(length, out span);
    }

    /// <summary>Claims <paramref name="length"/> bytes in the ring for one item, waiting for room.</summary>
    /// <inheritdoc />
    /// <exception cref="PeerProcessDiedException">Every reader this writer waits for has died.</exception>
    public ValueTask<Memory<byte>> ClaimAsync(int length, CancellationToken cancellationToken = default)
    {
        if (cancellationToken.IsCancellationRequested)
            return ValueTask.FromCanceled<Memory<byte>>(cancellationToken);
        if (TryClaim(length, out var span))
            return new ValueTask<Memory<byte>>(MemoryOf(span));
        if (_writer.IsCompleted)
            return ValueTask.FromException<Memory<byte>>(_writer.CompletedException());
        return ClaimSlowAsync(length, cancellationToken);
    }

    private async ValueTask<Memory<byte>> ClaimSlowAsync(int length, CancellationToken cancellationToken)
    {
        _writer.CountWait();
        while (true)
        {
            if (!await _writer.WaitToWriteAsync(length, cancellationToken).ConfigureAwait(false))
                throw _writer.CompletedException();
            if (TryClaim(length, out var span))
                return MemoryOf(span);
        }
    }

    /// <summary>Publishes the claimed item to the readers.</summary>
    /// <inheritdoc />
    public void Commit() => _writer.Commit();

    /// <summary>Abandons the claimed item: readers skip its space.</summary>
    /// <inheritdoc />
    public void Abort() => _writer.Abort();

    /// <summary>The claim's memory: in the ring, or in the writer end's staging buffer for a small claim in a batch (see RingWriter.Streaming.cs).</summary>
    private Memory<byte> MemoryOf(Span<byte> span) =>
        _writer.TryGetStagedMemory(out var staged) ? staged : (_claimMemory ??= new RingMemory(_writer.Ring)).Of(span);
}
