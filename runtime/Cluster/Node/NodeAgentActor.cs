using Akka.Actor;
using Akka.Cluster;
using Puma.Runtime.Cluster.Protocol;
using Serilog;

namespace Puma.Runtime.Cluster.Node;

/// <summary>
/// The node agent's actor (<c>/user/puma-node</c>): starts a child host for each <see cref="SpawnChild"/>, relays its
/// frames, kills it on <see cref="KillChild"/>, and kills it too when the supervisor's run actor is gone (the
/// supervisor left or ended the run) or the supervisor's member becomes unreachable or leaves (a supervisor killed
/// outright is never removed from the cluster, since only supervisors down members: its runs must not go on).
/// Children are local processes of the agent, so a child that dies is seen within milliseconds, and children die
/// with the agent (PR_SET_PDEATHSIG).
/// </summary>
internal sealed class NodeAgentActor : ReceiveActor
{
    /// <summary>The actor's name under <c>/user</c>.</summary>
    public const string Name = "puma-node";

    private readonly Dictionary<string, NodeChildRelay> _runs = new(StringComparer.Ordinal);
    private readonly Dictionary<IActorRef, string> _owners = [];
    private readonly Dictionary<string, INodeMessage?> _answers = new(StringComparer.Ordinal);
    private readonly ClusterTls? _tls;
    private readonly ILogger _log;
    private readonly string? _childTemp;

    /// <param name="tls">The cluster's TLS, for the ports' bridges.</param>
    /// <param name="log">The agent's log.</param>
    /// <param name="childTemp">The children's TMPDIR (<see cref="NodeTempDirectory"/>); null for the usual one.</param>
    public NodeAgentActor(ClusterTls? tls, ILogger log, string? childTemp = null)
    {
        _tls = tls;
        _log = log;
        _childTemp = childTemp;
        Receive<SpawnChild>(Spawn);
        Receive<Spawned>(OnSpawned);
        Receive<NotSpawned>(OnNotSpawned);
        Receive<ToChild>(frame =>
        {
            if (_runs.TryGetValue(frame.RunId, out var relay))
                relay.Deliver(frame);
        });
        Receive<KillChild>(kill =>
        {
            if (_runs.TryGetValue(kill.RunId, out var relay))
                relay.Kill();
        });
        Receive<Terminated>(terminated =>
        {
            if (_owners.Remove(terminated.ActorRef, out var runId) && _runs.Remove(runId, out var relay))
            {
                _log.Warning("The supervisor of run {RunId} is gone: killing its child {ChildPid}", runId, relay.Pid);
                _ = relay.DisposeAsync().AsTask();
            }
        });
        Receive<ClusterEvent.UnreachableMember>(e => KillRunsOf(e.Member.Address, "is unreachable"));
        Receive<ClusterEvent.MemberRemoved>(e => KillRunsOf(e.Member.Address, "left the cluster"));
        Receive<ClusterEvent.CurrentClusterState>(_ => { });
        Receive<RunDone>(done =>
        {
            _answers.Remove(done.RunId);
            if (_runs.Remove(done.RunId, out var relay))
            {
                _owners.Remove(relay.Owner);
                Context.Unwatch(relay.Owner);
                _ = relay.DisposeAsync().AsTask();
            }
        });
    }

    /// <inheritdoc />
    protected override void PreStart() =>
        Akka.Cluster.Cluster.Get(Context.System).Subscribe(Self, ClusterEvent.SubscriptionInitialStateMode.InitialStateAsEvents,
            typeof(ClusterEvent.UnreachableMember), typeof(ClusterEvent.MemberRemoved));

    /// <inheritdoc />
    protected override void PostStop()
    {
        Akka.Cluster.Cluster.Get(Context.System).Unsubscribe(Self);
        foreach (var relay in _runs.Values)
            _ = relay.DisposeAsync().AsTask();
        _runs.Clear();
    }

    /// <summary>Kills the runs whose supervisor lives at <paramref name="address"/>.</summary>
    private void KillRunsOf(Address address, string why)
    {
        foreach (var relay in _runs.Values.Where(r => r.Owner.Path.Address == address).ToArray())
        {
            _log.Warning("The supervisor {Supervisor} of run {RunId} {Why}: killing its child {ChildPid}", address, relay.RunId, why, relay.Pid);
            _runs.Remove(relay.RunId);
            _owners.Remove(relay.Owner);
            Context.Unwatch(relay.Owner);
            _ = relay.DisposeAsync().AsTask();
        }
    }

    private void Spawn(SpawnChild spawn)
    {
        if (_answers.TryGetValue(spawn.RunId, out var answer))
        {
            // A repeated request (the supervisor repeats it until answered): the run starts once, the answer is repeated.
            if (answer is not null)
                Sender.Tell(answer);
            return;
        }

        _answers[spawn.RunId] = null;
        var owner = Sender;
        var self = Self;
        _log.Information("Starting runnable {Runnable} (run {RunId}) with {Ports} ports", spawn.Runnable, spawn.RunId, spawn.Ports.Count);
        NodeChildRelay.StartAsync(spawn, owner, _tls, _childTemp, CancellationToken.None).ContinueWith(
            started => started.IsCompletedSuccessfully
                ? (object)new Spawned(started.Result)
                : new NotSpawned(spawn, owner, started.Exception?.GetBaseException() ?? new OperationCanceledException()),
            TaskScheduler.Default).PipeTo(self);
    }

    private void OnSpawned(Spawned spawned)
    {
        var relay = spawned.Relay;
        _runs[relay.RunId] = relay;
        _owners[relay.Owner] = relay.RunId;
        Context.Watch(relay.Owner);
        var answer = new ChildSpawned(relay.RunId, relay.Pid, relay.Segments);
        _answers[relay.RunId] = answer;
        relay.Owner.Tell(answer);
        var self = Self;
        relay.Completion.ContinueWith(_ => self.Tell(new RunDone(relay.RunId)), TaskScheduler.Default);
    }

    private void OnNotSpawned(NotSpawned failed)
    {
        _log.Error(failed.Error, "Runnable {Runnable} (run {RunId}) could not be started", failed.Spawn.Runnable, failed.Spawn.RunId);
        var answer = new SpawnFailed(failed.Spawn.RunId, $"{failed.Error.GetType().Name}: {failed.Error.Message}");
        _answers[failed.Spawn.RunId] = answer;
        failed.Owner.Tell(answer);
    }

    private sealed record Spawned(NodeChildRelay Relay);

    private sealed record NotSpawned(SpawnChild Spawn, IActorRef Owner, Exception Error);

    private sealed record RunDone(string RunId);
}
