using System.Runtime.InteropServices;

namespace Puma.Bench.Pipeline;

/// <summary>
/// The small message: 16 bytes, an unmanaged struct, so it crosses processes through the default
/// <see cref="Puma.Buffers.Codecs.UnmanagedCodec{T}"/> (one 16-byte copy in, one out).
/// </summary>
/// <param name="Seq">Sequence number.</param>
/// <param name="Stamp">Stopwatch timestamp at produce.</param>
[StructLayout(LayoutKind.Sequential)]
public readonly record struct SmallMessage(long Seq, long Stamp) : IPipelineMessage<SmallMessage>
{
    /// <inheritdoc/>
    public static SmallMessage Create(long seq, long stamp, byte[]? payload) => new(seq, stamp);

    /// <inheritdoc/>
    public int Size => 16;

    /// <inheritdoc/>
    public void Release()
    {
    }
}
