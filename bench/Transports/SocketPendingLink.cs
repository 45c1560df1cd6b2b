using System.Net.Sockets;

namespace Puma.Bench.Transports;

/// <summary>
/// A listening socket waiting for the child's connection; the accepted socket carries both
/// directions. Runs <paramref name="cleanup"/> (e.g. removing the socket file) when done.
/// </summary>
internal sealed class SocketPendingLink(Socket listener, string childArgument, int messageSize, bool noDelay, Action? cleanup) : IPendingLink
{
    private Action? _cleanup = cleanup;

    /// <inheritdoc/>
    public string ChildArgument { get; } = childArgument;

    /// <inheritdoc/>
    public void ChildStarted() { }

    /// <inheritdoc/>
    public TransportLink Accept(TimeSpan timeout, CancellationToken cancel)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancel);
        cts.CancelAfter(timeout);
        Socket socket;
        try
        {
            socket = listener.AcceptAsync(cts.Token).AsTask().GetAwaiter().GetResult();
        }
        catch (OperationCanceledException) when (!cancel.IsCancellationRequested)
        {
            throw new TimeoutException($"the child did not connect within {timeout.TotalSeconds:0}s");
        }
        finally
        {
            Dispose(); // no more connections: close the listener, remove the socket file now
        }
        if (noDelay) socket.NoDelay = true;
        return Wrap(socket, messageSize);
    }

    /// <summary>The link over a connected socket (one stream for both directions).</summary>
    public static TransportLink Wrap(Socket socket, int messageSize)
    {
        var stream = new NetworkStream(socket, ownsSocket: true);
        return new TransportLink(new StreamMessageWriter(stream, messageSize), new StreamMessageReader(stream, messageSize));
    }

    /// <summary>Closes the listener and runs the cleanup once.</summary>
    public void Dispose()
    {
        listener.Dispose();
        Interlocked.Exchange(ref _cleanup, null)?.Invoke();
    }
}
