using Akka.Actor;
using Akka.Cluster;

namespace Puma.Runtime.Cluster;

/// <summary>
/// The clustered <see cref="ActorSystem"/> Puma runs on when runnables span machines, for applications that create
/// it themselves (several runtimes of one process can then share it through <see cref="PumaOptions.ActorSystem"/>).
/// </summary>
public static class PumaCluster
{
    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<ActorSystem, PumaClusterOptions> Options = new();

    /// <summary>The options a system was made with by Puma; null for a system made otherwise.</summary>
    internal static PumaClusterOptions? OptionsOf(ActorSystem system) => Options.TryGetValue(system, out var options) ? options : null;

    internal static void Register(ActorSystem system, PumaClusterOptions options) => Options.AddOrUpdate(system, options);

    /// <summary>
    /// Creates a clustered actor system named <see cref="PumaClusterOptions.SystemName"/>, bound to
    /// <see cref="PumaClusterOptions.Hostname"/> and <see cref="PumaClusterOptions.Port"/>, with Puma's logging, the
    /// failure detection and TLS of <paramref name="options"/>, and no automatic downing (the supervisor downs
    /// unreachable members). Without <see cref="PumaClusterOptions.SeedNodes"/> the system founds a cluster of its own
    /// (a supervisor's); otherwise it joins the seed nodes. Terminate it when done.
    /// </summary>
    /// <param name="options">How to join the cluster.</param>
    /// <returns>The system; it is not a member yet (see <see cref="WhenUpAsync"/>).</returns>
    /// <exception cref="ArgumentException">An option is invalid (the message names it), e.g. a seed node's address.</exception>
    public static ActorSystem CreateActorSystem(PumaClusterOptions options) => ClusterActorSystem.Create(options, []);

    /// <summary>Completes when this process's member of the cluster of <paramref name="system"/> is Up.</summary>
    /// <param name="system">A clustered actor system, e.g. from <see cref="CreateActorSystem"/>.</param>
    /// <param name="cancellationToken">Cancels the wait, e.g. on a timeout.</param>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was canceled first.</exception>
    /// <exception cref="InvalidOperationException">The system terminated before its member was Up.</exception>
    public static async Task WhenUpAsync(ActorSystem system, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(system);
        var cluster = Akka.Cluster.Cluster.Get(system);
        if (cluster.SelfMember.Status == MemberStatus.Up)
            return;

        var up = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        cluster.RegisterOnMemberUp(() => up.TrySetResult());
        _ = system.WhenTerminated.ContinueWith(
            _ => up.TrySetException(new InvalidOperationException($"The actor system {system.Name} ({cluster.SelfAddress}) terminated before its member was Up.")),
            CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        await up.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
    }
}
