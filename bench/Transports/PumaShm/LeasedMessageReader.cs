using Puma.Buffers;
using Puma.Buffers.SharedMemory;

namespace Puma.Bench.Transports.PumaShm;

/// <summary>
/// The leased reader: <see cref="Acquire"/> is the typed end's <see cref="SharedMemoryChannelReader{T}.TryLease"/>
/// (the item's bytes in the ring, no copy), blocking in the raw end's wait when empty;
/// <see cref="Release"/> disposes the lease. The wait gives up when <c>cancel</c> fires.
/// </summary>
internal sealed class LeasedMessageReader<T>(SharedMemoryChannelReader<T> reader, int messageSize, CancellationToken cancel) : IMessageReader
{
    private ItemLease _lease;

    /// <inheritdoc/>
    public int MessageSize => messageSize;

    /// <inheritdoc/>
    public ReadOnlySpan<byte> Acquire()
    {
        while (!reader.TryLease(out _lease))
        {
            if (!reader.Raw.WaitToRead(cancel)) throw new EndOfStreamException("the ring was completed");
        }
        if (_lease.Length != messageSize)
            throw new InvalidDataException($"got a {_lease.Length}-byte message, expected {messageSize}");
        return _lease.Span;
    }

    /// <inheritdoc/>
    public void Release() => _lease.Dispose();

    /// <summary>Closes the reader slot.</summary>
    public void Dispose() => reader.Dispose();
}
