using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Threading.Channels;

namespace Puma.Bench.Transports;

/// <summary>
/// An <see cref="IMessageReader"/> over any typed <see cref="ChannelReader{T}"/> of an unmanaged
/// struct whose size is the message size: <see cref="ChannelReader{T}.TryRead"/> into a local
/// struct. When the channel is empty it blocks in <c>waitToRead</c> (a transport's blocking wait,
/// returning false once completed and drained), or without one, in
/// <see cref="ChannelReader{T}.WaitToReadAsync"/>.
/// </summary>
internal sealed class StructChannelReader<T>(ChannelReader<T> reader, Func<bool>? waitToRead = null, IDisposable? owner = null)
    : IMessageReader where T : unmanaged
{
    private T _current;

    /// <inheritdoc/>
    public int MessageSize => Unsafe.SizeOf<T>();

    /// <inheritdoc/>
    public ReadOnlySpan<byte> Acquire()
    {
        while (!reader.TryRead(out _current))
        {
            if (!ChannelWait.ToRead(reader, waitToRead)) throw new EndOfStreamException("the channel was completed");
        }
        return MemoryMarshal.AsBytes(MemoryMarshal.CreateSpan(ref _current, 1));
    }

    /// <inheritdoc/>
    public void Release() { }

    /// <summary>Disposes the owner.</summary>
    public void Dispose() => owner?.Dispose();
}
