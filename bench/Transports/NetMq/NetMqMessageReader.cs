using NetMQ;

namespace Puma.Bench.Transports.NetMq;

/// <summary>
/// Receives each message as one ZeroMQ frame from a PULL socket into a <see cref="Msg"/> and hands
/// out its bytes in place until <see cref="Release"/> (which hands the buffer back to NetMQ's buffer pool).
/// A frame of the wrong size is an error. ZeroMQ has no end of stream: a wait gives up with
/// <see cref="EndOfStreamException"/> when <paramref name="peerGone"/> fires (the child exited).
/// Owns the socket.
/// </summary>
internal sealed class NetMqMessageReader : IMessageReader
{
    private static readonly TimeSpan PeerCheck = TimeSpan.FromMilliseconds(200);
    private readonly NetMQSocket _socket;
    private readonly CancellationToken _peerGone;
    private Msg _msg;

    /// <summary>Reads frames of <paramref name="messageSize"/> bytes from <paramref name="socket"/>, which it owns.</summary>
    public NetMqMessageReader(NetMQSocket socket, int messageSize, CancellationToken peerGone)
    {
        _socket = socket;
        _peerGone = peerGone;
        MessageSize = messageSize;
        _msg.InitEmpty();
    }

    /// <inheritdoc/>
    public int MessageSize { get; }

    /// <inheritdoc/>
    public ReadOnlySpan<byte> Acquire()
    {
        while (!_socket.TryReceive(ref _msg, PeerCheck))
            if (_peerGone.IsCancellationRequested) throw new EndOfStreamException("the peer exited (no more NetMQ frames)");
        if (_msg.Size != MessageSize)
            throw new InvalidDataException($"NetMQ frame of {_msg.Size} bytes, expected {MessageSize}");
        return _msg.Slice();
    }

    /// <inheritdoc/>
    public void Release()
    {
        _msg.Close();
        _msg.InitEmpty();
    }

    /// <summary>Closes the socket.</summary>
    public void Dispose()
    {
        if (_msg.IsInitialised) _msg.Close();
        _socket.Dispose();
    }
}
