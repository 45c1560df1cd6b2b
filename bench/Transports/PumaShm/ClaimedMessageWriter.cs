using Puma.Buffers.SharedMemory;

namespace Puma.Bench.Transports.PumaShm;

/// <summary>
/// The claiming writer: <see cref="Claim"/> is the typed end's <see cref="SharedMemoryChannelWriter{T}.TryClaim"/>
/// (the item's bytes in the ring), blocking in the raw end's wait when full; <see cref="Commit"/>
/// publishes it. The wait gives up when <c>cancel</c> fires.
/// </summary>
internal sealed class ClaimedMessageWriter<T>(SharedMemoryChannelWriter<T> writer, int messageSize, CancellationToken cancel) : IMessageWriter
{
    private bool _inBatch;

    /// <inheritdoc/>
    public int MessageSize => messageSize;

    /// <inheritdoc/>
    public Span<byte> Claim()
    {
        if (!_inBatch)
        {
            writer.BeginBatch(); // published on Flush (or when the ring publishes a full batch early)
            _inBatch = true;
        }
        Span<byte> span;
        while (!writer.TryClaim(messageSize, out span))
        {
            if (!writer.Raw.WaitForSpace(messageSize, cancel)) throw new EndOfStreamException("the ring was completed");
        }
        return span;
    }

    /// <inheritdoc/>
    public void Commit() => writer.Commit();

    /// <inheritdoc/>
    public void Flush()
    {
        writer.Flush();
        _inBatch = false;
    }

    /// <summary>Completes the ring and releases the writer end.</summary>
    public void Dispose()
    {
        writer.TryComplete();
        writer.Dispose();
    }
}
