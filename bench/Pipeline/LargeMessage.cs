using Puma.Buffers.Codecs;

namespace Puma.Bench.Pipeline;

/// <summary>
/// The large message: a header (sequence number, timestamp) and a payload array (1 MiB in the suite).
/// In process the struct is passed as is (the payload by reference); across processes
/// <see cref="LargeMessageCodec"/> copies header and payload into the ring and out again.
/// </summary>
/// <param name="Seq">Sequence number.</param>
/// <param name="Stamp">Stopwatch timestamp at produce.</param>
/// <param name="Payload">The payload.</param>
[BufferCodec(typeof(LargeMessageCodec))]
public readonly record struct LargeMessage(long Seq, long Stamp, byte[] Payload) : IPipelineMessage<LargeMessage>
{
    /// <inheritdoc/>
    public static LargeMessage Create(long seq, long stamp, byte[]? payload) => new(seq, stamp, payload ?? []);

    /// <inheritdoc/>
    public int Size => Payload.Length;

    /// <inheritdoc/>
    public void Release()
    {
    }
}
