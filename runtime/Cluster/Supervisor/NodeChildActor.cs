using Akka.Actor;
using Akka.Cluster;
using Puma.Runtime.Cluster.Protocol;

namespace Puma.Runtime.Cluster.Supervisor;

/// <summary>
/// The supervisor's end of one run on a node: receives what the agent relays and hands it to its
/// <see cref="NodeChild"/>; watches the agent and the node's membership, so the run ends as soon as the node is
/// unreachable, downed or removed, or its agent stopped.
/// </summary>
internal sealed class NodeChildActor : ReceiveActor
{
    private readonly NodeChild _child;
    private readonly IActorRef _agent;
    private readonly Address _node;

    public NodeChildActor(NodeChild child, IActorRef agent, Address node)
    {
        _child = child;
        _agent = agent;
        _node = node;
        Receive<ChildSpawned>(child.OnSpawned);
        Receive<SpawnFailed>(child.OnSpawnFailed);
        Receive<FromChild>(child.OnFrame);
        Receive<ChildOutput>(child.OnOutput);
        Receive<ChildExited>(exited => child.OnExited(exited.ExitCode));
        Receive<Terminated>(t => t.ActorRef.Equals(agent), _ => child.OnLost("its agent stopped"));
        Receive<ClusterEvent.UnreachableMember>(e => e.Member.Address == node, _ => child.OnLost("it became unreachable"));
        Receive<ClusterEvent.MemberDowned>(e => e.Member.Address == node, _ => child.OnLost("it was downed"));
        Receive<ClusterEvent.MemberRemoved>(e => e.Member.Address == node, _ => child.OnLost("it left the cluster"));
        Receive<ClusterEvent.CurrentClusterState>(state =>
        {
            if (state.Unreachable.Any(m => m.Address == node))
                child.OnLost("it is unreachable");
            else if (!state.Members.Any(m => m.Address == node && m.Status == MemberStatus.Up))
                child.OnLost("it is no longer up");
        });
        ReceiveAny(_ => { });
    }

    /// <inheritdoc />
    protected override void PreStart()
    {
        Context.Watch(_agent);
        Akka.Cluster.Cluster.Get(Context.System).Subscribe(Self, ClusterEvent.SubscriptionInitialStateMode.InitialStateAsSnapshot,
            typeof(ClusterEvent.UnreachableMember), typeof(ClusterEvent.MemberDowned), typeof(ClusterEvent.MemberRemoved));
    }

    /// <inheritdoc />
    protected override void PostStop()
    {
        Akka.Cluster.Cluster.Get(Context.System).Unsubscribe(Self);
        _child.OnLost("the run was closed");
    }
}
