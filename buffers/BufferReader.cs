using System.Diagnostics.CodeAnalysis;
using System.Threading.Channels;

namespace Puma.Buffers;

/// <summary>
/// A reader end of a <see cref="PumaBuffer{T}"/>: a standard <see cref="ChannelReader{T}"/> that
/// forwards to the transport the runtime chose when it opened the buffer.
/// </summary>
/// <typeparam name="T">The item type.</typeparam>
public sealed partial class BufferReader<T> : ChannelReader<T>, IBufferEnd
{
    private readonly PumaBuffer<T> _buffer;
    private ChannelReader<T>? _target;

    internal BufferReader(PumaBuffer<T> buffer, int index)
    {
        _buffer = buffer;
        Index = index;
    }

    /// <inheritdoc />
    public PumaBuffer Buffer => _buffer;

    /// <inheritdoc />
    public int Index { get; }

    /// <inheritdoc />
    public bool IsWriter => false;

    internal bool HandedOut { get; set; }

    internal void Attach(ChannelReader<T> target) => Volatile.Write(ref _target, target);

    private ChannelReader<T> Target => _target ?? throw BufferNotOpen.For(_buffer);

    /// <inheritdoc />
    public override Task Completion => Target.Completion;

    /// <inheritdoc />
    public override bool CanCount => Target.CanCount;

    /// <inheritdoc />
    public override int Count => Target.Count;

    /// <inheritdoc />
    public override bool CanPeek => Target.CanPeek;

    /// <inheritdoc />
    public override bool TryRead([MaybeNullWhen(false)] out T item) => Target.TryRead(out item);

    /// <inheritdoc />
    public override bool TryPeek([MaybeNullWhen(false)] out T item) => Target.TryPeek(out item);

    /// <inheritdoc />
    public override ValueTask<bool> WaitToReadAsync(CancellationToken cancellationToken = default) =>
        Target.WaitToReadAsync(cancellationToken);

    /// <inheritdoc />
    public override ValueTask<T> ReadAsync(CancellationToken cancellationToken = default) =>
        Target.ReadAsync(cancellationToken);

    /// <inheritdoc />
    public override string ToString() => $"reader {Index} of buffer '{_buffer.Name}'";
}
