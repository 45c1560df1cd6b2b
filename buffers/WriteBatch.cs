namespace Puma.Buffers;

/// <summary>
/// A batch of writes on a Puma output (see <see cref="ChannelWriterBatchExtensions.BeginBatch{T}"/>): the items written
/// until it is disposed reach readers together. Dispose it (a <c>using</c>) to publish what it holds.
/// </summary>
public readonly struct WriteBatch : IDisposable
{
    private readonly IBatchingWriter? _writer;

    internal WriteBatch(IBatchingWriter? writer) => _writer = writer;

    /// <summary>Publishes what the batch holds and ends it.</summary>
    public void Dispose() => _writer?.Flush();
}
