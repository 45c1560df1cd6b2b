using Akka.Actor;
using Puma.Runtime.Cluster;

namespace Puma.Runtime.Tests.Cluster;

/// <summary>
/// One supervisor cluster for the cluster tests: a clustered ActorSystem in the test process (shared by each test's
/// runtime through PumaOptions.ActorSystem) and three node agents, separate processes on 127.0.0.1, 127.0.0.2 and
/// 127.0.0.3 (three "machines" on loopback), with roles a, b and c. Tests that kill a node start their own.
/// </summary>
public sealed class ClusterFixture : IAsyncLifetime
{
    public ActorSystem System { get; private set; } = null!;

    public PumaNodeProcess[] Nodes { get; private set; } = [];

    public string Seed => Akka.Cluster.Cluster.Get(System).SelfAddress.ToString();

    public async Task InitializeAsync()
    {
        System = PumaCluster.CreateActorSystem(new PumaClusterOptions());
        using var up = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await PumaCluster.WhenUpAsync(System, up.Token);
        Nodes = await Task.WhenAll(
            StartNodeAsync("127.0.0.1", "a"),
            StartNodeAsync("127.0.0.2", "b"),
            StartNodeAsync("127.0.0.3", "c"));
    }

    /// <summary>Starts a node agent on <paramref name="host"/> with <paramref name="roles"/> and waits until the supervisor sees it up.</summary>
    public async Task<PumaNodeProcess> StartNodeAsync(string host, params string[] roles)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var node = await PumaNodeProcess.StartAsync(new PumaClusterOptions { Hostname = host, SeedNodes = [Seed], Roles = roles }, timeout.Token);
        var cluster = Akka.Cluster.Cluster.Get(System);
        await TestSupport.EventuallyAsync(
            () => Task.FromResult(cluster.State.Members.Any(m => m.Address.ToString() == node.Address && m.Status == Akka.Cluster.MemberStatus.Up)),
            $"node {node.Address} up in the supervisor's view");
        return node;
    }

    public PumaRuntime NewRuntime(FailurePolicy? policy = null, Serilog.ILogger? logger = null) => new(new PumaOptions
    {
        ActorSystem = System,
        FailurePolicy = policy ?? FailurePolicy.StopAll,
        Logger = logger ?? Serilog.Core.Logger.None,
    });

    public async Task DisposeAsync()
    {
        foreach (var node in Nodes)
            await node.DisposeAsync();
        await System.Terminate().WaitAsync(TimeSpan.FromSeconds(10));
    }
}

[CollectionDefinition(Name)]
public sealed class ClusterCollection : ICollectionFixture<ClusterFixture>
{
    public const string Name = "cluster";
}
