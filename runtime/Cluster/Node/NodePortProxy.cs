using Puma.Buffers;
using Puma.Buffers.SharedMemory;
using Puma.Runtime.Cluster.Bridge;
using Puma.Runtime.Cluster.Protocol;

namespace Puma.Runtime.Cluster.Node;

/// <summary>
/// A port of a runnable on a node, agent side: a ring on this node that the child attaches as it would the
/// supervisor's, and a bridge that streams it to the supervisor (a writer port) or from it (a reader port).
/// </summary>
/// <remarks>
/// The ring has one writer reference and one reader slot. A writer port's bridge reads the slot and sends what the
/// child wrote; when the child completes the ring (normally or with an error) the bridge sends that completion. A
/// reader port's bridge writes what the supervisor sends and completes the ring as the supervisor's buffer completed.
/// </remarks>
internal sealed class NodePortProxy : IAsyncDisposable
{
    private readonly SharedMemoryRing _ring;
    private readonly Stream _stream;
    private readonly CancellationTokenSource _cancel = new();
    private readonly IDisposable _end;
    private readonly Task _pump;

    private NodePortProxy(ProxyPort port, SharedMemoryRing ring, Stream stream)
    {
        Port = port.Port;
        IsWriter = port.IsWriter;
        _ring = ring;
        _stream = stream;
        if (port.IsWriter)
        {
            var reader = ring.OpenReader(0);
            _end = reader;
            _pump = RingToStream.PumpAsync(reader, stream, _cancel.Token);
        }
        else
        {
            var writer = ring.OpenWriter();
            _end = writer;
            _pump = CompleteAsync(StreamToRing.PumpAsync(stream, writer, _cancel.Token), writer);
        }
    }

    /// <summary>The port's name (the runnable's property).</summary>
    public string Port { get; }

    /// <summary>True for an output port (data flows to the supervisor).</summary>
    public bool IsWriter { get; }

    /// <summary>The ring's segment name, for the child's port binding.</summary>
    public string Segment => _ring.Name;

    /// <summary>Makes the ring and connects its bridge to the supervisor.</summary>
    public static async Task<NodePortProxy> OpenAsync(ProxyPort port, ClusterTls? tls, CancellationToken cancellationToken)
    {
        var ring = SharedMemoryRing.Create(new SharedMemoryRingOptions
        {
            CapacityBytes = port.CapacityBytes,
            Mode = BufferMode.ManyToOne,
            Readers = 1,
            Writers = 1,
        });
        ring.BufferName = port.Buffer;
        try
        {
            return new NodePortProxy(port, ring, await ConnectAsync(port, tls, cancellationToken).ConfigureAwait(false));
        }
        catch
        {
            ring.Dispose();
            throw;
        }
    }

    /// <summary>
    /// The child exited. A writer port whose ring the child completed finishes sending it, however long the
    /// supervisor's side takes to take it (backpressure; the run ends after its output is delivered, and a lost
    /// supervisor ends the stream); otherwise the bridge is closed at once, so the supervisor keeps its end for a restart.
    /// </summary>
    public async Task ChildEndedAsync()
    {
        if (IsWriter && _ring.IsCompleted)
        {
            try
            {
                await _pump.ConfigureAwait(false);
            }
            catch (Exception)
            {
                // Ended with the stream; the supervisor's side decides what it means.
            }
        }
        await _cancel.CancelAsync().ConfigureAwait(false);
        await _stream.DisposeAsync().ConfigureAwait(false);
    }

    /// <summary>Closes the bridge, the ring's end and the ring.</summary>
    public async ValueTask DisposeAsync()
    {
        await _cancel.CancelAsync().ConfigureAwait(false);
        await _stream.DisposeAsync().ConfigureAwait(false);
        try
        {
            await _pump.ConfigureAwait(false);
        }
        catch (Exception)
        {
            // The pump ended with the stream; how does not matter any more.
        }

        _end.Dispose();
        _ring.Dispose();
        _cancel.Dispose();
    }

    /// <summary>
    /// Connects the port's bridge. A refusal is retried for a few seconds: the supervisor's end takes the restarted
    /// run's connection once it has let go of the previous one.
    /// </summary>
    private static async Task<Stream> ConnectAsync(ProxyPort port, ClusterTls? tls, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (true)
        {
            try
            {
                return await BridgeConnector.ConnectAsync(port.Host, port.BridgePort, port.Token, tls?.Certificate, cancellationToken,
                    validateChain: tls is { SuppressValidation: false }).ConfigureAwait(false);
            }
            catch (BridgeRefusedException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(50, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private static async Task CompleteAsync(Task<BridgeEnd> pump, RingWriter writer)
    {
        switch (await pump.ConfigureAwait(false))
        {
            case BridgeEnd.Completed:
                writer.ReleaseWriter();
                break;
            case BridgeEnd.CompletedWithError completed:
                writer.TryComplete(completed.Error);
                break;
            case BridgeEnd.StreamLost lost:
                writer.TryComplete(new IOException("The buffer's stream from the supervisor was lost.", lost.Error));
                break;
        }
    }
}
