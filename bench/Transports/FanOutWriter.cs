namespace Puma.Bench.Transports;

/// <summary>
/// Broadcast over transports without it: one link per reader, and every message written to each
/// link. The message is built once in a scratch buffer and, on <see cref="Commit"/>, copied into each
/// link's writer in turn (for a stream, its batch buffer), blocking on a link that is full, as an
/// application sending one message to several sockets or pipes does. Owns the links.
/// </summary>
internal sealed class FanOutWriter(IReadOnlyList<TransportLink> links, int messageSize) : IMessageWriter
{
    private readonly byte[] _scratch = GC.AllocateUninitializedArray<byte>(messageSize, pinned: true);

    /// <inheritdoc/>
    public int MessageSize => messageSize;

    /// <inheritdoc/>
    public Span<byte> Claim() => _scratch;

    /// <inheritdoc/>
    public void Commit()
    {
        foreach (var link in links)
        {
            _scratch.CopyTo(link.Writer.Claim());
            link.Writer.Commit();
        }
    }

    /// <inheritdoc/>
    public void Flush()
    {
        foreach (var link in links) link.Writer.Flush();
    }

    /// <summary>Disposes every link (each reader sees end of stream).</summary>
    public void Dispose()
    {
        List<Exception>? errors = null;
        foreach (var link in links)
        {
            try { link.Dispose(); }
            catch (Exception e) { (errors ??= []).Add(e); }
        }
        if (errors is not null) throw new AggregateException(errors);
    }
}
