using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Puma.Bench.Transports;

/// <summary>TCP over 127.0.0.1 on an ephemeral port, Nagle off (NoDelay) on both ends.</summary>
internal sealed class TcpTransport : ITransport
{
    /// <inheritdoc/>
    public string Name => "tcp";

    /// <inheritdoc/>
    public IPendingLink Listen(int messageSize)
    {
        var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            listener.Listen(1);
        }
        catch { listener.Dispose(); throw; }
        var port = ((IPEndPoint)listener.LocalEndPoint!).Port;
        return new SocketPendingLink(listener, port.ToString(CultureInfo.InvariantCulture), messageSize, noDelay: true, cleanup: null);
    }

    /// <inheritdoc/>
    public TransportLink Connect(string argument, int messageSize)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try { socket.Connect(new IPEndPoint(IPAddress.Loopback, int.Parse(argument, CultureInfo.InvariantCulture))); }
        catch { socket.Dispose(); throw; }
        return SocketPendingLink.Wrap(socket, messageSize);
    }
}
