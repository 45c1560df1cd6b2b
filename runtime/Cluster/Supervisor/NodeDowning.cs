using Akka.Actor;
using Akka.Cluster;

namespace Puma.Runtime.Cluster.Supervisor;

/// <summary>
/// Downs every node agent that becomes unreachable, at once: the supervisor is the one place that decides, so a
/// partition never leaves two halves each running the pipeline. A downed agent leaves the cluster and stops (its
/// children die with it); the runnables it ran fail with <see cref="NodeLostException"/>.
/// </summary>
internal sealed class NodeDowning : ReceiveActor
{
    /// <summary>The actor's name under <c>/user</c> (one per actor system).</summary>
    public const string Name = "puma-node-downing";

    public NodeDowning()
    {
        var cluster = Akka.Cluster.Cluster.Get(Context.System);
        Receive<ClusterEvent.UnreachableMember>(unreachable =>
        {
            if (unreachable.Member.HasRole(NodeDirectory.AgentRole))
                cluster.Down(unreachable.Member.Address);
        });
        Receive<ClusterEvent.CurrentClusterState>(state =>
        {
            foreach (var member in state.Unreachable.Where(m => m.HasRole(NodeDirectory.AgentRole)))
                cluster.Down(member.Address);
        });
    }

    /// <inheritdoc />
    protected override void PreStart() =>
        Akka.Cluster.Cluster.Get(Context.System).Subscribe(Self, ClusterEvent.SubscriptionInitialStateMode.InitialStateAsSnapshot, typeof(ClusterEvent.UnreachableMember));

    /// <inheritdoc />
    protected override void PostStop() => Akka.Cluster.Cluster.Get(Context.System).Unsubscribe(Self);
}
