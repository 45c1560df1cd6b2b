using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;

namespace Puma.Runtime.Cluster.Bridge;

/// <summary>
/// Accepts bridge connections on one TCP endpoint and hands each to whoever expects its token
/// (<see cref="Expect"/>). Connections that present a token nobody expects now are refused and closed.
/// </summary>
/// <remarks>
/// One connection per token at a time: <see cref="Expect"/> registers one expectation, the first
/// connection presenting the token takes it, and later ones are refused until <see cref="Expect"/> is
/// called again — which the owner does once the previous connection ended (a restarted runnable's
/// node then reconnects with the same token; its connector should retry a refusal for a short while,
/// since it may arrive before the new expectation). With a certificate every connection is TLS, both
/// sides presenting the shared cluster certificate.
/// </remarks>
internal sealed class BridgeListener : IAsyncDisposable
{
    private readonly Socket _socket;
    private readonly X509Certificate2? _certificate;
    private readonly bool _validateChain;
    private readonly ConcurrentDictionary<string, TaskCompletionSource<Stream>> _expected = new();
    private readonly ConcurrentDictionary<Task, bool> _handshakes = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _accepting;
    private int _disposed;

    /// <summary>Binds and listens on <paramref name="address"/>:<paramref name="port"/>.</summary>
    /// <param name="address">The address to bind (a loopback address such as 127.0.0.2 in tests; the node's cluster address otherwise).</param>
    /// <param name="port">The port; 0 (the default) lets the system pick a free one (see <see cref="Endpoint"/>).</param>
    /// <param name="certificate">The shared cluster certificate (with its private key) to make every connection TLS; null for plain TCP.</param>
    /// <exception cref="ArgumentOutOfRangeException">The port is outside 0..65535.</exception>
    /// <exception cref="SocketException">The address cannot be bound (not local, or the port is taken).</exception>
    /// <param name="validateChain">True to validate a peer's certificate against the trusted roots instead of pinning it to <paramref name="certificate"/>.</param>
    public BridgeListener(IPAddress address, int port = 0, X509Certificate2? certificate = null, bool validateChain = false)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (port is < IPEndPoint.MinPort or > IPEndPoint.MaxPort)
            throw new ArgumentOutOfRangeException(nameof(port), port, $"Bridge listener port {port} is outside {IPEndPoint.MinPort}..{IPEndPoint.MaxPort}.");
        _certificate = certificate;
        _validateChain = validateChain;
        _socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            BridgeSocket.Configure(_socket); // accepted sockets inherit the buffer sizes, set before the handshake
            _socket.Bind(new IPEndPoint(address, port));
            _socket.Listen(64);
        }
        catch
        {
            _socket.Dispose();
            throw;
        }
        Endpoint = (IPEndPoint)_socket.LocalEndPoint!;
        _accepting = AcceptLoopAsync();
    }

    /// <summary>The bound endpoint (with the port the system picked).</summary>
    public IPEndPoint Endpoint { get; }

    /// <summary>
    /// Waits for the connection that presents <paramref name="token"/>; the returned stream is past the
    /// handshake (and TLS), ready for frames. The caller owns it.
    /// </summary>
    /// <param name="token">The connection's token (<see cref="BridgeToken.New"/>), given to the connecting node.</param>
    /// <param name="cancellationToken">Withdraws the expectation (a later connection with the token is refused).</param>
    /// <exception cref="ArgumentException">The token is not 32 hex digits.</exception>
    /// <exception cref="InvalidOperationException">A connection with this token is already expected.</exception>
    /// <exception cref="ObjectDisposedException">The listener is disposed (also the result of a pending expectation then).</exception>
    public Task<Stream> Expect(string token, CancellationToken cancellationToken = default)
    {
        token = BridgeToken.Normalize(token, nameof(token));
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        var waiting = new TaskCompletionSource<Stream>(TaskCreationOptions.RunContinuationsAsynchronously);
        if (!_expected.TryAdd(token, waiting))
            throw new InvalidOperationException($"A bridge connection with token {token} is already expected at {Endpoint}; one connection per token at a time.");
        if (cancellationToken.CanBeCanceled)
        {
            var registration = cancellationToken.Register(() =>
            {
                _expected.TryRemove(KeyValuePair.Create(token, waiting));
                waiting.TrySetCanceled(cancellationToken);
            });
            _ = waiting.Task.ContinueWith(_ => registration.Dispose(), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        }
        if (Volatile.Read(ref _disposed) != 0 && _expected.TryRemove(KeyValuePair.Create(token, waiting)))
            waiting.TrySetException(new ObjectDisposedException(nameof(BridgeListener)));
        return waiting.Task;
    }

    /// <summary>Stops listening, refuses what is still in its handshake and fails pending expectations.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        await _stop.CancelAsync().ConfigureAwait(false);
        _socket.Dispose();
        await _accepting.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        foreach (var handshake in _handshakes.Keys) await handshake.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        foreach (var token in _expected.Keys)
        {
            if (_expected.TryRemove(token, out var waiting))
                waiting.TrySetException(new ObjectDisposedException(nameof(BridgeListener), $"The bridge listener at {Endpoint} was disposed before the connection with token {token} arrived."));
        }
        _stop.Dispose();
    }

    private async Task AcceptLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket accepted;
            try
            {
                accepted = await _socket.AcceptAsync(_stop.Token).ConfigureAwait(false);
            }
            catch (Exception) when (_stop.IsCancellationRequested)
            {
                return;
            }
            catch (SocketException)
            {
                // A connection that failed before it was accepted, or no descriptor left: try again shortly.
                await Task.Delay(50).ConfigureAwait(false);
                continue;
            }
            var handshake = HandshakeAsync(accepted);
            _handshakes.TryAdd(handshake, true);
            _ = handshake.ContinueWith(done => _handshakes.TryRemove(done, out _), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        }
    }

    /// <summary>TLS (if on), the hello, then the answer: the stream goes to its expectation, or is refused and closed.</summary>
    private async Task HandshakeAsync(Socket socket)
    {
        BridgeSocket.Configure(socket);
        var network = new NetworkStream(socket, ownsSocket: true);
        Stream stream = network;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
        timeout.CancelAfter(BridgeHandshake.Timeout);
        try
        {
            await Task.Yield(); // off the accept loop
            stream = await BridgeSocket.SecureAsync(network, _certificate, server: true, "", timeout.Token, _validateChain).ConfigureAwait(false);
            var hello = new byte[BridgeHandshake.HelloBytes];
            await stream.ReadExactlyAsync(hello, timeout.Token).ConfigureAwait(false);
            var token = BridgeHandshake.TokenOf(hello);
            if (token is not null && _expected.TryRemove(token, out var waiting))
            {
                try
                {
                    // The answer goes out before the stream is handed over: its new owner may write at once.
                    await stream.WriteAsync(new[] { BridgeHandshake.Accepted }, timeout.Token).ConfigureAwait(false);
                }
                catch
                {
                    if (!waiting.Task.IsCompleted) _expected.TryAdd(token, waiting); // still expected: a retry may come
                    throw;
                }
                if (waiting.TrySetResult(stream)) return; // else withdrawn meanwhile: the connector sees the stream close
            }
            else
            {
                await stream.WriteAsync(new[] { BridgeHandshake.Refused }, timeout.Token).ConfigureAwait(false);
            }
        }
        catch (Exception)
        {
            // A failed handshake (TLS, timeout, not a bridge client) only closes that connection.
        }
        await stream.DisposeAsync().ConfigureAwait(false);
    }
}
