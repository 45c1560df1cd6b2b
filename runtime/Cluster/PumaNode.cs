using Akka.Actor;
using Puma.Logging;
using Puma.Runtime.Cluster.Node;
using Puma.Runtime.Cluster.Supervisor;
using Serilog;

namespace Puma.Runtime.Cluster;

/// <summary>
/// A node agent: joins a supervisor's cluster with its roles and runs the runnables placed on it
/// (<see cref="NodePlacement"/>), each in a child process of its own, relaying their commands, requests, status,
/// errors and log events. The <c>Puma.Node</c> app is this class behind a command line; an application can host a
/// node itself the same way.
/// </summary>
/// <remarks>
/// The node runs the runnables' assemblies from the paths the supervisor names: on another machine, deploy the
/// application at the same path. The agent stops (and its children with it) when it is disposed, when the supervisor
/// downs it (unreachable for longer than the failure detector allows), or when it is killed.
/// </remarks>
public sealed class PumaNode : IAsyncDisposable
{
    private readonly ActorSystem _system;
    private readonly Task _terminated;

    private PumaNode(ActorSystem system, IReadOnlyList<string> roles, Task terminated)
    {
        _system = system;
        _terminated = terminated;
        Roles = roles;
        Address = Akka.Cluster.Cluster.Get(system).SelfAddress.ToString();
    }

    /// <summary>The node's cluster address, e.g. <c>akka.tcp://puma@127.0.0.2:4054</c>.</summary>
    public string Address { get; }

    /// <summary>The roles it advertises.</summary>
    public IReadOnlyList<string> Roles { get; }

    /// <summary>Completes when the node has left the cluster and stopped (disposed, downed, or its system terminated), its children's temporary directory removed.</summary>
    public Task WhenTerminated => _terminated;

    /// <summary>Joins the cluster of <see cref="PumaNodeOptions.Cluster"/> and completes once this node is up in it.</summary>
    /// <param name="options">The node's settings; its cluster settings must name at least one seed node.</param>
    /// <param name="cancellationToken">Cancels the join (the node is then stopped).</param>
    /// <exception cref="ArgumentException">No seed node is given.</exception>
    /// <exception cref="TimeoutException">The node was not up within <see cref="PumaNodeOptions.JoinTimeout"/>.</exception>
    /// <exception cref="InvalidOperationException">The node's system terminated before it was up (e.g. a TLS handshake was refused).</exception>
    public static async Task<PumaNode> StartAsync(PumaNodeOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.Cluster.SeedNodes.Count == 0)
            throw new ArgumentException("A node needs the supervisor's address in PumaNodeOptions.Cluster.SeedNodes (e.g. akka.tcp://puma@127.0.0.1:4053).", nameof(options));
        var log = (options.Logger ?? Log.Logger).ForRunnable("node");
        var system = ClusterActorSystem.Create(options.Cluster, [NodeDirectory.AgentRole]);
        // The children's temporary files go to a directory of this node's, removed when it stops (see NodeTempDirectory).
        var childTemp = NodeTempDirectory.Create();
        var terminated = system.WhenTerminated.ContinueWith(_ => NodeTempDirectory.Remove(childTemp), TaskScheduler.Default);
        try
        {
            system.ActorOf(Props.Create(() => new NodeAgentActor(options.Cluster.Tls, log, childTemp)), NodeAgentActor.Name);
            using var join = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            join.CancelAfter(options.JoinTimeout);
            try
            {
                await PumaCluster.WhenUpAsync(system, join.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
            {
                throw new TimeoutException($"The node was not up in the cluster of {string.Join(", ", options.Cluster.SeedNodes)} within {options.JoinTimeout.TotalSeconds:0.#} s.", e);
            }
        }
        catch
        {
            await system.Terminate().ConfigureAwait(false);
            await terminated.ConfigureAwait(false);
            throw;
        }

        var node = new PumaNode(system, options.Cluster.Roles, terminated);
        log.Information("Puma node {Node} is up with roles {Roles}", node.Address, node.Roles);
        return node;
    }

    /// <summary>Leaves the cluster, stops the children still running and terminates.</summary>
    public async ValueTask DisposeAsync()
    {
        await ClusterActorSystem.LeaveAndTerminateAsync(_system, TimeSpan.FromSeconds(5)).ConfigureAwait(false);
        await _terminated.ConfigureAwait(false);
    }
}
