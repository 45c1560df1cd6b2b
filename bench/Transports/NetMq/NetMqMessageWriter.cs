using NetMQ;

namespace Puma.Bench.Transports.NetMq;

/// <summary>
/// Sends each message as one ZeroMQ frame on a PUSH socket, claimed directly in a
/// <see cref="Msg"/> from NetMQ's buffer pool (no copy before the send; ZeroMQ batches frames into socket writes itself,
/// so <see cref="Flush"/> has nothing to do). A send blocks while the high-water mark is
/// reached; it gives up with <see cref="EndOfStreamException"/> when <paramref name="peerGone"/>
/// fires (the child exited), since ZeroMQ never reports a vanished peer to a sender.
/// Owns the socket.
/// </summary>
internal sealed class NetMqMessageWriter(NetMQSocket socket, int messageSize, CancellationToken peerGone) : IMessageWriter
{
    private static readonly TimeSpan PeerCheck = TimeSpan.FromMilliseconds(200);
    private Msg _msg;

    /// <inheritdoc/>
    public int MessageSize => messageSize;

    /// <inheritdoc/>
    public Span<byte> Claim()
    {
        if (_msg.IsInitialised) _msg.Close();
        _msg.InitPool(messageSize);
        return _msg.Slice();
    }

    /// <inheritdoc/>
    public void Commit()
    {
        // A successful send takes the frame's buffer; the Msg is left empty.
        while (!socket.TrySend(ref _msg, PeerCheck, more: false))
            if (peerGone.IsCancellationRequested) throw new EndOfStreamException("the peer exited (NetMQ send could not complete)");
    }

    /// <inheritdoc/>
    public void Flush() { }

    /// <summary>Closes the socket (frames still queued are dropped: every case waits for its reader first).</summary>
    public void Dispose()
    {
        if (_msg.IsInitialised) _msg.Close();
        socket.Dispose();
    }
}
