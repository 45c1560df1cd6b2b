using Puma.Buffers.SharedMemory;

namespace Puma.Bench.Transports.PumaShm;

/// <summary>
/// The zero-copy writer: <see cref="Claim"/> is <see cref="RingWriter.Claim"/> (a span in the
/// shared ring, waiting for space by spinning then parking), <see cref="Commit"/> publishes it.
/// The wait gives up when <c>cancel</c> fires (the parent passes "the child exited").
/// </summary>
internal sealed class RingMessageWriter(RingWriter writer, int messageSize, CancellationToken cancel) : IMessageWriter
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
        return writer.Claim(messageSize, cancel);
    }

    /// <inheritdoc/>
    public void Commit() => writer.Commit();

    /// <inheritdoc/>
    public void Flush()
    {
        writer.Flush();
        _inBatch = false;
    }

    /// <summary>Releases the writer reference: the ring completes, the reader sees end of stream after draining.</summary>
    public void Dispose() => writer.Dispose();
}
