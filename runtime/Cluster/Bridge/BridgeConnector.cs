using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;

namespace Puma.Runtime.Cluster.Bridge;

/// <summary>Opens a bridge connection to a <see cref="BridgeListener"/> on another node.</summary>
internal static class BridgeConnector
{
    /// <summary>Connects over plain TCP, presents <paramref name="token"/> and waits for the listener to accept it.</summary>
    /// <inheritdoc cref="ConnectAsync(string, int, string, X509Certificate2?, CancellationToken, bool)"/>
    public static Task<Stream> ConnectAsync(string host, int port, string token, CancellationToken cancellationToken) =>
        ConnectAsync(host, port, token, certificate: null, cancellationToken);

    /// <summary>
    /// Connects (TLS when <paramref name="certificate"/> is given), presents <paramref name="token"/> and
    /// waits for the listener to accept it. The returned stream is ready for frames; the caller owns it.
    /// </summary>
    /// <param name="host">The listener's host name or address.</param>
    /// <param name="port">The listener's port (<see cref="BridgeListener.Endpoint"/>).</param>
    /// <param name="token">The token the listener expects (32 hex digits).</param>
    /// <param name="certificate">The shared cluster certificate (with its private key), or null for plain TCP.</param>
    /// <param name="cancellationToken">Abandons the attempt.</param>
    /// <exception cref="ArgumentException">The host is empty or the token is not 32 hex digits.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The port is outside 1..65535.</exception>
    /// <exception cref="BridgeRefusedException">The listener expects no connection with this token now.</exception>
    /// <exception cref="TimeoutException">The listener did not complete the handshake within <see cref="BridgeHandshake.Timeout"/>.</exception>
    /// <exception cref="SocketException">Nothing listens there, or the network failed.</exception>
    /// <exception cref="System.Security.Authentication.AuthenticationException">TLS failed (the peer's certificate is not the cluster's).</exception>
    /// <param name="validateChain">True to validate the listener's certificate against the trusted roots instead of pinning it to <paramref name="certificate"/>.</param>
    public static async Task<Stream> ConnectAsync(string host, int port, string token, X509Certificate2? certificate, CancellationToken cancellationToken, bool validateChain = false)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(host);
        if (port is < 1 or > 65535)
            throw new ArgumentOutOfRangeException(nameof(port), port, $"Bridge listener port {port} is outside 1..65535.");
        token = BridgeToken.Normalize(token, nameof(token));
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
        try
        {
            BridgeSocket.Configure(socket); // before the connection: the buffer sizes set the window scale of the handshake
            await socket.ConnectAsync(host, port, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
        Stream stream = new NetworkStream(socket, ownsSocket: true);
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(BridgeHandshake.Timeout);
            stream = await BridgeSocket.SecureAsync((NetworkStream)stream, certificate, server: false, host, timeout.Token, validateChain).ConfigureAwait(false);
            await stream.WriteAsync(BridgeHandshake.Hello(token), timeout.Token).ConfigureAwait(false);
            var answer = new byte[1];
            var read = await stream.ReadAsync(answer, timeout.Token).ConfigureAwait(false);
            if (read == 0 || answer[0] != BridgeHandshake.Accepted) throw new BridgeRefusedException($"{host}:{port}");
            return stream;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            await stream.DisposeAsync().ConfigureAwait(false);
            throw new TimeoutException($"The bridge listener at {host}:{port} did not complete the handshake within {BridgeHandshake.Timeout.TotalSeconds:0} s.");
        }
        catch
        {
            await stream.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }
}
