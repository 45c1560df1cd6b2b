using System.Net.Sockets;

namespace Puma.Bench.Transports;

/// <summary>
/// A Unix domain stream socket bound in a fresh temp directory; the directory and the socket
/// file are removed as soon as the child connected (or when the pending link is disposed).
/// </summary>
internal sealed class UnixSocketTransport : ITransport
{
    /// <inheritdoc/>
    public string Name => "unix";

    /// <inheritdoc/>
    public IPendingLink Listen(int messageSize)
    {
        var dir = Path.Combine(Path.GetTempPath(), "puma-bench-" + Guid.NewGuid().ToString("N")[..16]);
        Directory.CreateDirectory(dir);
        var path = Path.Combine(dir, "s");
        var listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            listener.Bind(new UnixDomainSocketEndPoint(path));
            listener.Listen(1);
        }
        catch
        {
            listener.Dispose();
            Directory.Delete(dir, recursive: true);
            throw;
        }
        return new SocketPendingLink(listener, path, messageSize, noDelay: false, cleanup: () =>
        {
            try { Directory.Delete(dir, recursive: true); }
            catch (IOException) { }
            catch (UnauthorizedAccessException) { }
        });
    }

    /// <inheritdoc/>
    public TransportLink Connect(string argument, int messageSize)
    {
        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try { socket.Connect(new UnixDomainSocketEndPoint(argument)); }
        catch { socket.Dispose(); throw; }
        return SocketPendingLink.Wrap(socket, messageSize);
    }
}
