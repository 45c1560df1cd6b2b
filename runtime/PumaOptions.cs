using Serilog;

namespace Puma.Runtime;

/// <summary>Settings of a <see cref="PumaRuntime"/>.</summary>
public sealed class PumaOptions
{
    /// <summary>The logger every runnable's events go to (in any process). Defaults to Serilog's <c>Log.Logger</c>.</summary>
    public ILogger? Logger { get; init; }

    /// <summary>What happens when a runnable fails, unless its <c>Add</c> call names another policy. Default: stop all.</summary>
    public FailurePolicy FailurePolicy { get; init; } = FailurePolicy.StopAll;

    /// <summary>How long a graceful stop waits before it abandons (threads) or kills (processes) what is still running. Default 5 s.</summary>
    public TimeSpan StopTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// The application's own <see cref="Akka.Actor.ActorSystem"/>, for the supervisor's actors (a runtime actor and one
    /// actor per runnable). When null, Puma creates one ActorSystem per process on first use and shares it between
    /// runtimes. Puma never terminates a system it was given. With your own system, Akka's own log events go where
    /// its configuration sends them; Puma's events still go to <see cref="Logger"/>.
    /// </summary>
    public Akka.Actor.ActorSystem? ActorSystem { get; init; }

    /// <summary>
    /// Cluster settings: when set, the runtime's supervisor joins (or seeds) an Akka.Cluster and can place runnables on
    /// node agents (<see cref="Cluster.NodePlacement"/>). Null (default): the runtime is local and pays no remoting cost.
    /// Puma then creates an ActorSystem for this runtime with the cluster provider and terminates it when the runtime is
    /// disposed; to share one cluster between several runtimes, give them the same clustered
    /// <see cref="ActorSystem"/> instead (made by <c>PumaCluster.CreateActorSystem</c>, or your own with the cluster provider).
    /// </summary>
    public Cluster.PumaClusterOptions? Cluster { get; init; }

    /// <summary>How many status reports the <see cref="PumaRuntime.Status"/> stream keeps unread before it drops the oldest. Default 4096.</summary>
    public int StatusCapacity { get; init; } = 4096;

    /// <summary>
    /// Whether the runtime counts its runnables' and buffers' activity for <see cref="PumaRuntime.Metrics"/> and the
    /// <c>Puma</c> meter (default true). The counting is a plain add per item or batch on the loop's thread; false
    /// removes even that.
    /// </summary>
    public bool Metrics { get; init; } = true;
}
