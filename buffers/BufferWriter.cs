using System.Threading.Channels;

namespace Puma.Buffers;

/// <summary>
/// The writer end of a <see cref="PumaBuffer{T}"/>: a standard <see cref="ChannelWriter{T}"/> that
/// forwards to the transport the runtime chose when it opened the buffer.
/// </summary>
/// <typeparam name="T">The item type.</typeparam>
public sealed partial class BufferWriter<T> : ChannelWriter<T>, IBufferEnd, IBatchingWriter
{
    private readonly PumaBuffer<T> _buffer;
    private ChannelWriter<T>? _target;

    internal BufferWriter(PumaBuffer<T> buffer) => _buffer = buffer;

    /// <inheritdoc />
    public PumaBuffer Buffer => _buffer;

    /// <inheritdoc />
    public int Index => 0;

    /// <inheritdoc />
    public bool IsWriter => true;

    internal void Attach(ChannelWriter<T> target) => Volatile.Write(ref _target, target);

    private ChannelWriter<T> Target => _target ?? throw BufferNotOpen.For(_buffer);

    /// <inheritdoc />
    public override bool TryWrite(T item)
    {
        if (!Target.TryWrite(item))
            return false;
        _tally.AddItem();
        return true;
    }

    /// <inheritdoc />
    public override ValueTask<bool> WaitToWriteAsync(CancellationToken cancellationToken = default) =>
        Target.WaitToWriteAsync(cancellationToken);

    /// <inheritdoc />
    public override ValueTask WriteAsync(T item, CancellationToken cancellationToken = default) =>
        _counting ? WriteCountedAsync(item, cancellationToken) : Target.WriteAsync(item, cancellationToken);

    /// <inheritdoc />
    public override bool TryComplete(Exception? error = null) => Target.TryComplete(error);

    /// <inheritdoc />
    bool IBatchingWriter.CanBatch => _target is IBatchingWriter { CanBatch: true };

    /// <inheritdoc />
    void IBatchingWriter.BeginBatch() => (_target as IBatchingWriter)?.BeginBatch();

    /// <inheritdoc />
    void IBatchingWriter.Flush() => (_target as IBatchingWriter)?.Flush();

    /// <inheritdoc />
    public override string ToString() => $"writer of buffer '{_buffer.Name}'";
}
