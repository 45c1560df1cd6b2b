using Akka.Actor;
using Puma.Runtime.Cluster.Protocol;
using Puma.Runtime.Parent;
using Puma.Runtime.Wire;
using Serilog;

namespace Puma.Runtime.Cluster.Node;

/// <summary>
/// One run on a node, agent side: the local rings and bridges of the runnable's ports, the child host, and the relay of
/// its control frames, output and exit to the supervisor's run actor (<see cref="Owner"/>), in the child's order.
/// </summary>
internal sealed class NodeChildRelay : IAsyncDisposable
{
    private readonly List<NodePortProxy> _ports;
    private readonly ChildProcess _child;
    private readonly Task _relay;
    private readonly System.Threading.Channels.Channel<ToChild> _toChild = System.Threading.Channels.Channel.CreateUnbounded<ToChild>(new() { SingleReader = true });
    private readonly Task _sending;

    private NodeChildRelay(string runId, IActorRef owner, List<NodePortProxy> ports, ChildProcess child)
    {
        RunId = runId;
        Owner = owner;
        _ports = ports;
        _child = child;
        _relay = RelayAsync();
        _sending = SendToChildAsync();
    }

    /// <summary>The run's id.</summary>
    public string RunId { get; }

    /// <summary>The supervisor's actor of this run.</summary>
    public IActorRef Owner { get; }

    /// <summary>The child's pid.</summary>
    public int Pid => _child.Pid;

    /// <summary>Each port's ring segment, for the child's port bindings.</summary>
    public IReadOnlyDictionary<string, string> Segments => _ports.ToDictionary(p => p.Port, p => p.Segment, StringComparer.Ordinal);

    /// <summary>Makes the ports' rings and bridges, then starts the child host.</summary>
    /// <param name="spawn">The run to start.</param>
    /// <param name="owner">The supervisor's actor of the run.</param>
    /// <param name="tls">The cluster's TLS, for the ports' bridges.</param>
    /// <param name="tempDirectory">The child's TMPDIR (<see cref="NodeTempDirectory"/>); null for the usual one.</param>
    /// <param name="cancellationToken">Cancels the start.</param>
    public static async Task<NodeChildRelay> StartAsync(SpawnChild spawn, IActorRef owner, ClusterTls? tls, string? tempDirectory, CancellationToken cancellationToken)
    {
        var ports = new List<NodePortProxy>();
        try
        {
            foreach (var port in spawn.Ports)
                ports.Add(await NodePortProxy.OpenAsync(port, tls, cancellationToken).ConfigureAwait(false));
            var child = await ChildProcess.StartAsync(new ChildProcessOptions
            {
                StandardOutput = line => owner.Tell(new ChildOutput(spawn.RunId, false, line)),
                StandardError = line => owner.Tell(new ChildOutput(spawn.RunId, true, line)),
                Environment = tempDirectory is null ? null : new Dictionary<string, string?> { ["TMPDIR"] = tempDirectory },
            }, cancellationToken).ConfigureAwait(false);
            return new NodeChildRelay(spawn.RunId, owner, ports, child);
        }
        catch
        {
            foreach (var port in ports)
                await port.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Queues a frame for the child (written in the order delivered); a child that is gone has ended the run already, so the frame is dropped.</summary>
    public void Deliver(ToChild frame) => _toChild.Writer.TryWrite(frame);

    private async Task SendToChildAsync()
    {
        await foreach (var frame in _toChild.Reader.ReadAllAsync().ConfigureAwait(false))
            await SendAsync(frame).ConfigureAwait(false);
    }

    private async Task SendAsync(ToChild frame)
    {
        try
        {
            await _child.Channel.SendAsync(new ControlFrame((ControlMessageKind)frame.Kind, frame.Payload)).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or InvalidOperationException)
        {
            // The child is gone: its exit is (or will be) relayed.
        }
    }

    /// <summary>Kills the child.</summary>
    public void Kill() => _child.Kill();

    /// <summary>Completes when the child exited and its exit was relayed.</summary>
    public Task Completion => _relay;

    private async Task RelayAsync()
    {
        await Task.Yield();
        try
        {
            while (await _child.Channel.ReadAsync().ConfigureAwait(false) is { } frame)
                Owner.Tell(new FromChild(RunId, (byte)frame.Kind, frame.Payload.ToArray()));
        }
        catch (Exception e) when (e is IOException or InvalidDataException or EndOfStreamException or InvalidOperationException or ObjectDisposedException)
        {
            // A broken channel ends the relay; the exit tells the rest.
        }

        var exit = await _child.Exited.ConfigureAwait(false);
        // Every port at once: the writer ports send what the child wrote (the run's exit is reported after that).
        foreach (var lost in await Task.WhenAll(_ports.Select(p => p.ChildEndedAsync(_child.Pid))).ConfigureAwait(false))
        {
            if (lost is not null)
                Owner.Tell(new ChildOutput(RunId, true, lost));
        }
        Owner.Tell(new ChildExited(RunId, exit.ExitCode));
    }

    /// <summary>Kills the child if it still runs, waits for it, and closes the ports' bridges and rings.</summary>
    public async ValueTask DisposeAsync()
    {
        _toChild.Writer.TryComplete();
        await _child.DisposeAsync().ConfigureAwait(false);
        await _relay.ConfigureAwait(false);
        await _sending.ConfigureAwait(false);
        foreach (var port in _ports)
            await port.DisposeAsync().ConfigureAwait(false);
    }
}
