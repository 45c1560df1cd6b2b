namespace Puma.Bench.Transports;

/// <summary>
/// One side's ends of a connection between parent and child: a writer towards the peer and a
/// reader from it (two one-way channels; a socket transport may use one duplex socket for both).
/// </summary>
internal sealed class TransportLink(IMessageWriter writer, IMessageReader reader, IDisposable? owner = null) : IDisposable
{
    /// <summary>Towards the peer.</summary>
    public IMessageWriter Writer { get; } = writer;

    /// <summary>From the peer.</summary>
    public IMessageReader Reader { get; } = reader;

    /// <summary>Closes both ends (the peer's reader sees end of stream) and whatever else the transport owns.</summary>
    public void Dispose()
    {
        try { Writer.Dispose(); }
        finally
        {
            try { Reader.Dispose(); }
            finally { owner?.Dispose(); }
        }
    }
}
