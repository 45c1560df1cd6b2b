using Puma.Buffers.SharedMemory;

namespace Puma.Bench.Transports.PumaShm;

/// <summary>
/// The zero-copy reader: <see cref="Acquire"/> is <see cref="RingReader.TryAcquire"/> (a span over
/// the shared ring), blocking in <see cref="RingReader.WaitToRead"/> when empty;
/// <see cref="Release"/> frees the space for the writer. The wait gives up when <c>cancel</c> fires.
/// </summary>
internal sealed class RingMessageReader(RingReader reader, int messageSize, CancellationToken cancel) : IMessageReader
{
    /// <inheritdoc/>
    public int MessageSize => messageSize;

    /// <inheritdoc/>
    public ReadOnlySpan<byte> Acquire()
    {
        ReadOnlySpan<byte> message;
        while (!reader.TryAcquire(out message))
        {
            if (!reader.WaitToRead(cancel)) throw new EndOfStreamException("the ring was completed");
        }
        if (message.Length != messageSize)
            throw new InvalidDataException($"got a {message.Length}-byte message, expected {messageSize}");
        return message;
    }

    /// <inheritdoc/>
    public void Release() => reader.Release();

    /// <summary>Closes the reader slot.</summary>
    public void Dispose() => reader.Dispose();
}
