using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Threading.Channels;

namespace Puma.Bench.Transports;

/// <summary>
/// An <see cref="IMessageReader"/> over any typed <see cref="ChannelReader{T}"/> of an unmanaged
/// struct whose size is the message size: <see cref="ChannelReader{T}.TryRead"/> into a local
/// struct, waiting with <see cref="ChannelReader{T}.WaitToReadAsync"/> only when empty.
/// </summary>
internal sealed class StructChannelReader<T> : IMessageReader where T : unmanaged
{
    private readonly ChannelReader<T> _reader;
    private readonly IDisposable? _owner;
    private T _current;

    /// <summary>Reads from <paramref name="reader"/>; disposes <paramref name="owner"/> on dispose.</summary>
    public StructChannelReader(ChannelReader<T> reader, IDisposable? owner = null)
    {
        _reader = reader;
        _owner = owner;
    }

    /// <inheritdoc/>
    public int MessageSize => Unsafe.SizeOf<T>();

    /// <inheritdoc/>
    public ReadOnlySpan<byte> Acquire()
    {
        while (!_reader.TryRead(out _current))
        {
            var wait = _reader.WaitToReadAsync();
            if (!(wait.IsCompletedSuccessfully ? wait.Result : wait.AsTask().GetAwaiter().GetResult()))
                throw new EndOfStreamException("the channel was completed");
        }
        return MemoryMarshal.AsBytes(MemoryMarshal.CreateSpan(ref _current, 1));
    }

    /// <inheritdoc/>
    public void Release() { }

    /// <summary>Disposes the owner.</summary>
    public void Dispose() => _owner?.Dispose();
}
