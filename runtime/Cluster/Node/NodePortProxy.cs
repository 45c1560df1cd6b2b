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
    private readonly StreamActivity _activity = new();

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
            _pump = RingToStream.PumpAsync(reader, stream, _cancel.Token, _activity);
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
    /// How long the output of a run that ended without completing its ring (it failed, was killed or stopped) may wait
    /// on a supervisor that takes almost none of it (less than <see cref="RingToStream.ActivitySliceBytes"/>) before the
    /// bridge is cut: the run's exit is reported only once its output is sent, so a restart waits this long at most
    /// behind a receiver that is stuck.
    /// </summary>
    public static readonly TimeSpan StalledOutputLimit = TimeSpan.FromSeconds(10);

    /// <summary>
    /// The child exited. A writer port finishes sending what the child wrote, then its end: the ring's completion
    /// (however long the supervisor's side takes to take it: backpressure; a lost supervisor ends the stream), or, when
    /// the child did not complete it, an end saying that the writer died, which the supervisor takes as the run's stream
    /// ending and keeps its end for a restart (that one gives up after <see cref="StalledOutputLimit"/> with almost nothing
    /// taken). So what a failed run wrote reaches the buffer, before the run's exit is reported, as a process child's is
    /// in the buffer's ring already. A reader port's bridge is closed at once: what the child had not read is lost with it.
    /// </summary>
    /// <param name="childPid">The child's process id, for the writer-died end.</param>
    /// <returns>Null, or what was lost: a line for the run's log.</returns>
    public async Task<string?> ChildEndedAsync(int childPid)
    {
        string? lost = null;
        if (IsWriter)
        {
            var died = new PeerProcessDiedException($"Process {childPid} ended without completing buffer '{_ring.BufferName}' (port {Port}).", childPid);
            try
            {
                if (_ring.TryComplete(died) && !await _activity.EndsWhileHeardAsync(_pump, StalledOutputLimit).ConfigureAwait(false))
                    lost = $"Port {Port} (buffer '{_ring.BufferName}'): the supervisor took less than {RingToStream.ActivitySliceBytes / 1024} KiB in {StalledOutputLimit.TotalSeconds:0} s after the run ended; what the run wrote and was not yet sent is lost.";
            }
            catch (BufferCorruptedException corrupt)
            {
                // The child wrote over the ring's state word: the run's exit must still be reported.
                lost = $"Port {Port} (buffer '{_ring.BufferName}'): {corrupt.Message} What the run wrote and was not yet sent is lost.";
            }
            if (lost is null)
                await _pump.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing); // ended with the stream; the supervisor's side decides what it means
        }
        await _cancel.CancelAsync().ConfigureAwait(false);
        await _stream.DisposeAsync().ConfigureAwait(false);
        return lost;
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
