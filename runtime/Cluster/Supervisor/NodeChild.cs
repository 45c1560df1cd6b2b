using System.Threading.Channels;
using Akka.Actor;
using Akka.Cluster;
using Puma.Runtime.Cluster.Protocol;
using Puma.Runtime.Parent;
using Puma.Runtime.Wire;

namespace Puma.Runtime.Cluster.Supervisor;

/// <summary>
/// A child host on a cluster node, as <see cref="Supervision.ProcessRun"/> sees it: its control frames travel as Akka
/// messages to the node's agent (<see cref="Node.NodeAgentActor"/>), which relays them to a local child process.
/// A <see cref="NodeChildActor"/> is the run's end in this process. When the node is lost (unreachable, downed,
/// removed, or its agent stopped) the run ends with <see cref="NodeLostException"/>.
/// </summary>
internal sealed class NodeChild : IChildConnection
{
    private readonly Channel<ControlFrame> _frames = Channel.CreateUnbounded<ControlFrame>(new() { SingleReader = true, SingleWriter = true });
    private readonly TaskCompletionSource<ChildExit> _exited = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource<ChildSpawned> _spawned = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly ChildProcessOptions _options;
    private readonly string _runnableName;
    private IReadOnlyDictionary<string, string> _segments = new Dictionary<string, string>();
    private IActorRef _actor = ActorRefs.Nobody;
    private IActorRef _agent = ActorRefs.Nobody;
    private string? _lost;

    private NodeChild(string runId, string runnableName, string node, ChildProcessOptions options)
    {
        RunId = runId;
        _runnableName = runnableName;
        Node = node;
        _options = options;
    }

    /// <summary>The run's id, unique in the cluster.</summary>
    public string RunId { get; }

    /// <inheritdoc />
    public int Pid { get; private set; }

    /// <inheritdoc />
    public string Node { get; }

    /// <inheritdoc />
    public Task<ChildExit> Exited => _exited.Task;

    /// <summary>Picks a node, asks its agent to start a child with one ring and bridge per port, and waits until it runs.</summary>
    public static async Task<IChildConnection> StartAsync(ActorSystem system, NodeDirectory nodes, NodePlacement placement, string runnableName,
        IReadOnlyList<ProxyPort> ports, ChildProcessOptions options, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var member = await nodes.PickAsync(placement, timeout, cancellationToken).ConfigureAwait(false);
        var agentPath = new RootActorPath(member.Address) / "user" / Cluster.Node.NodeAgentActor.Name;
        var agent = await ResolveAgentAsync(system, agentPath, timeout, cancellationToken).ConfigureAwait(false);

        var runId = $"{runnableName}-{Guid.NewGuid():N}";
        var child = new NodeChild(runId, runnableName, member.Address.ToString(), options) { _agent = agent };
        child._actor = system.ActorOf(Props.Create(() => new NodeChildActor(child, agent, member.Address)), $"puma-node-run-{runId}");
        using var wait = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        wait.CancelAfter(timeout);
        try
        {
            // Remoting delivers at most once (a message sent while an association is being set up or gated is lost):
            // the request is repeated until the agent answers; it starts each run id once.
            var spawn = new SpawnChild(runId, runnableName, ports);
            while (!child._spawned.Task.IsCompleted)
            {
                agent.Tell(spawn, child._actor);
                await Task.WhenAny(child._spawned.Task, Task.Delay(RetryInterval, wait.Token)).ConfigureAwait(false);
                wait.Token.ThrowIfCancellationRequested();
            }

            var spawned = await child._spawned.Task.ConfigureAwait(false);
            child.Pid = spawned.Pid;
            child._segments = spawned.Segments;
            return child;
        }
        catch (Exception e)
        {
            await child.DisposeAsync().ConfigureAwait(false);
            if (e is OperationCanceledException && !cancellationToken.IsCancellationRequested)
                throw new TimeoutException($"Node {member.Address} did not start runnable '{runnableName}' within {timeout.TotalSeconds:0.#} s.", e);
            throw;
        }
    }

    private static readonly TimeSpan RetryInterval = TimeSpan.FromSeconds(1);

    private static async Task<IActorRef> ResolveAgentAsync(ActorSystem system, ActorPath agentPath, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            try
            {
                return await system.ActorSelection(agentPath).ResolveOne(RetryInterval, cancellationToken).ConfigureAwait(false);
            }
            catch (ActorNotFoundException e) when (DateTime.UtcNow + RetryInterval >= deadline)
            {
                throw new InvalidOperationException($"Node {agentPath.Address} has no Puma agent at {agentPath} (no answer within {timeout.TotalSeconds:0.#} s): is it a Puma.Node?", e);
            }
            catch (ActorNotFoundException)
            {
                // Not answered yet (an association being set up loses messages): ask again.
            }
        }
    }

    /// <inheritdoc />
    public ValueTask SendAsync(ControlFrame frame, CancellationToken cancellationToken = default)
    {
        if (_exited.Task.IsCompleted)
            throw new IOException($"The child of run {RunId} on node {Node} is gone.");
        _agent.Tell(new ToChild(RunId, (byte)frame.Kind, frame.Payload.ToArray()), _actor);
        return default;
    }

    /// <inheritdoc />
    public async ValueTask<ControlFrame?> ReadAsync(CancellationToken cancellationToken = default) =>
        await _frames.Reader.WaitToReadAsync(cancellationToken).ConfigureAwait(false) && _frames.Reader.TryRead(out var frame) ? frame : null;

    /// <inheritdoc />
    public void Kill() => _agent.Tell(new KillChild(RunId), _actor);

    /// <inheritdoc />
    public PortBinding Bind(string portName, PortBinding planned) =>
        _segments.TryGetValue(portName, out var segment)
            ? planned with { Segment = segment, ReaderSlot = planned.Direction == PortDirection.Reader ? 0 : planned.ReaderSlot }
            : planned;

    /// <inheritdoc />
    public Exception Died(string runnableName, ChildExit exit) => _lost is { } reason
        ? new NodeLostException(Node, runnableName, Pid, reason)
        : new ChildProcessDiedException(runnableName, Pid, exit.ExitCode, exit.Signal, exit.SignalName);

    /// <summary>Stops the run's actor: the agent then kills the child if it still runs and closes its rings.</summary>
    public ValueTask DisposeAsync()
    {
        _actor.Tell(PoisonPill.Instance);
        return default;
    }

    internal void OnSpawned(ChildSpawned spawned) => _spawned.TrySetResult(spawned);

    internal void OnSpawnFailed(SpawnFailed failed) =>
        _spawned.TrySetException(new InvalidOperationException($"Node {Node} could not start the runnable: {failed.Error}"));

    internal void OnFrame(FromChild frame) => _frames.Writer.TryWrite(new ControlFrame((ControlMessageKind)frame.Kind, frame.Payload));

    internal void OnOutput(ChildOutput output) => (output.IsStandardError ? _options.StandardError : _options.StandardOutput)?.Invoke(output.Line);

    internal void OnExited(int exitCode)
    {
        _frames.Writer.TryComplete();
        _exited.TrySetResult(ChildExit.FromExitCode(exitCode));
    }

    internal void OnLost(string reason)
    {
        if (_exited.Task.IsCompleted)
            return;
        _lost = reason;
        _spawned.TrySetException(new NodeLostException(Node, _runnableName, Pid, reason));
        _frames.Writer.TryComplete();
        _exited.TrySetResult(new ChildExit(-1, null));
    }
}
