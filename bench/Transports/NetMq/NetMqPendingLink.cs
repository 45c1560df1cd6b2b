using NetMQ;

namespace Puma.Bench.Transports.NetMq;

/// <summary>
/// The parent's bound PUSH (to the child) and PULL (from it), waiting for the child's hello frame.
/// Owns the sockets and the NetMQ lease until <see cref="Accept"/> hands them to the link.
/// </summary>
internal sealed class NetMqPendingLink(NetMQSocket toChild, NetMQSocket fromChild, IDisposable lease, string childArgument, int messageSize) : IPendingLink
{
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(50);
    private bool _accepted;

    /// <inheritdoc/>
    public string ChildArgument { get; } = childArgument;

    /// <inheritdoc/>
    public void ChildStarted() { }

    /// <inheritdoc/>
    public TransportLink Accept(TimeSpan timeout, CancellationToken cancel)
    {
        var deadline = DateTime.UtcNow + timeout;
        var hello = new Msg();
        hello.InitEmpty();
        try
        {
            while (!fromChild.TryReceive(ref hello, Poll))
            {
                cancel.ThrowIfCancellationRequested();
                if (DateTime.UtcNow > deadline) throw new TimeoutException($"the child did not connect within {timeout.TotalSeconds:0}s");
            }
            if (hello.Size != 0) throw new InvalidDataException($"expected the child's empty hello frame, got {hello.Size} bytes");
        }
        finally
        {
            hello.Close();
        }
        _accepted = true;
        return new TransportLink(new NetMqMessageWriter(toChild, messageSize, cancel), new NetMqMessageReader(fromChild, messageSize, cancel), lease);
    }

    /// <summary>Closes the sockets and returns the lease unless a link took them.</summary>
    public void Dispose()
    {
        if (_accepted) return;
        toChild.Dispose();
        fromChild.Dispose();
        lease.Dispose();
    }
}
