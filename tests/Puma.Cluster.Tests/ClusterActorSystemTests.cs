using System.Diagnostics;
using Akka.Actor;
using Akka.Actor.Setup;
using Akka.Cluster;
using Akka.Remote.Transport.DotNetty;
using Puma.Runtime.Cluster;
using AkkaCluster = Akka.Cluster.Cluster;

namespace Puma.Cluster.Tests;

public sealed class ClusterActorSystemTests : IAsyncLifetime
{
    private static readonly TimeSpan Liveness = TimeSpan.FromSeconds(20);
    private static readonly TimeSpan NoJoinWindow = TimeSpan.FromSeconds(5);

    private readonly List<ActorSystem> _systems = [];

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => Task.WhenAll(_systems.Select(system => system.Terminate()));

    [Fact]
    public async Task ANodeSeededWithTheSupervisorJoinsAndBothSeeEachOtherUpWithTheirRoles()
    {
        var supervisor = Start(new PumaClusterOptions(), ["supervisor"]);
        var node = Start(NodeOf(supervisor) with { Roles = ["gpu", "io"] }, []);

        await PumaCluster.WhenUpAsync(supervisor, Timeout());
        await PumaCluster.WhenUpAsync(node, Timeout());
        var nodeSeenBySupervisor = await UpMemberAsync(supervisor, AkkaCluster.Get(node).SelfAddress);
        var supervisorSeenByNode = await UpMemberAsync(node, AkkaCluster.Get(supervisor).SelfAddress);

        Assert.Equal(["gpu", "io"], nodeSeenBySupervisor.Roles.Where(r => !r.StartsWith("dc-", StringComparison.Ordinal)).Order());
        Assert.Equal(["supervisor"], supervisorSeenByNode.Roles.Where(r => !r.StartsWith("dc-", StringComparison.Ordinal)));
        Assert.Equal("127.0.0.2", AkkaCluster.Get(node).SelfAddress.Host);
        Assert.Equal("puma", AkkaCluster.Get(node).SelfAddress.System);
    }

    [Fact]
    public async Task TlsMembersSharingACertificateJoin()
    {
        using var certificate = TestCertificates.CreateSelfSigned();
        var tls = new ClusterTls(certificate, SuppressValidation: true);
        var supervisor = Start(new PumaClusterOptions { Tls = tls }, []);
        var node = Start(NodeOf(supervisor) with { Tls = tls, Roles = ["gpu"] }, []);

        await PumaCluster.WhenUpAsync(node, Timeout());
        var member = await UpMemberAsync(supervisor, AkkaCluster.Get(node).SelfAddress);

        Assert.Contains("gpu", member.Roles);
        Assert.Equal("on", supervisor.Settings.Config.GetString("akka.remote.dot-netty.tcp.enable-ssl"));
    }

    [Fact]
    public async Task ANodeWithoutTlsCannotJoinATlsCluster()
    {
        using var certificate = TestCertificates.CreateSelfSigned();
        var supervisor = Start(new PumaClusterOptions { Tls = new ClusterTls(certificate, SuppressValidation: true) }, []);
        await PumaCluster.WhenUpAsync(supervisor, Timeout());
        var node = Start(NodeOf(supervisor), []);

        await AssertNeverMemberAsync(supervisor, node);
    }

    [Fact]
    public async Task TheSupervisorRefusesANodeWithAnotherCertificateEvenIfThatNodeAcceptsAnyCertificate()
    {
        using var certificate = TestCertificates.CreateSelfSigned();
        using var foreign = TestCertificates.CreateSelfSigned();
        var supervisor = Start(new PumaClusterOptions { Tls = new ClusterTls(certificate, SuppressValidation: true) }, []);
        await PumaCluster.WhenUpAsync(supervisor, Timeout());

        // Akka alone, with validation suppressed and no validator, accepts any certificate: the supervisor's pin must refuse this one.
        var config = ClusterActorSystem.Configuration(NodeOf(supervisor) with { Tls = new ClusterTls(foreign, SuppressValidation: true) }, []);
        var acceptsAnything = new DotNettySslSetup(foreign, suppressValidation: true, requireMutualAuthentication: true);
        var node = Start(ActorSystem.Create("puma", BootstrapSetup.Create().WithConfig(config).And(acceptsAnything)));

        await AssertNeverMemberAsync(supervisor, node);
        Assert.False(supervisor.WhenTerminated.IsCompleted);
    }

    [Fact]
    public async Task ANodeWithAnotherCertificateRefusesTheSupervisorAndAkkaTerminatesItsSystem()
    {
        using var certificate = TestCertificates.CreateSelfSigned();
        using var foreign = TestCertificates.CreateSelfSigned();
        var supervisor = Start(new PumaClusterOptions { Tls = new ClusterTls(certificate, SuppressValidation: true) }, []);
        await PumaCluster.WhenUpAsync(supervisor, Timeout());
        var node = Start(NodeOf(supervisor) with { Tls = new ClusterTls(foreign, SuppressValidation: true) }, []);

        await Assert.ThrowsAsync<InvalidOperationException>(() => PumaCluster.WhenUpAsync(node, Timeout()));

        Assert.True(node.WhenTerminated.IsCompleted);
        Assert.Single(AkkaCluster.Get(supervisor).State.Members);
        Assert.False(supervisor.WhenTerminated.IsCompleted);
    }

    [Fact]
    public async Task ValidationAgainstTrustedRootsRefusesASelfSignedCertificate()
    {
        using var certificate = TestCertificates.CreateSelfSigned();
        var tls = new ClusterTls(certificate, SuppressValidation: false);
        var supervisor = Start(new PumaClusterOptions { Tls = tls }, []);
        await PumaCluster.WhenUpAsync(supervisor, Timeout());
        var node = Start(NodeOf(supervisor) with { Tls = tls }, []);

        await Assert.ThrowsAsync<InvalidOperationException>(() => PumaCluster.WhenUpAsync(node, Timeout()));

        Assert.Single(AkkaCluster.Get(supervisor).State.Members);
    }

    [Fact]
    public async Task ANodeWithAnotherSystemNameCannotJoin()
    {
        var supervisor = Start(new PumaClusterOptions(), []);
        await PumaCluster.WhenUpAsync(supervisor, Timeout());
        var port = AkkaCluster.Get(supervisor).SelfAddress.Port;
        var node = Start(new PumaClusterOptions { SystemName = "other", Hostname = "127.0.0.2", SeedNodes = [$"akka.tcp://other@127.0.0.1:{port}"] }, []);

        await AssertNeverMemberAsync(supervisor, node);
    }

    [Fact]
    public void ASeedOfAnotherSystemIsRefusedUpFront()
    {
        var options = new PumaClusterOptions { SeedNodes = ["akka.tcp://other@127.0.0.1:4053"] };

        var error = Assert.Throws<ArgumentException>(() => PumaCluster.CreateActorSystem(options));

        Assert.Contains("akka.tcp://other@127.0.0.1:4053", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AnInvalidSeedIsRefusedUpFront()
    {
        var options = new PumaClusterOptions { SeedNodes = ["127.0.0.1:4053"] };

        var error = Assert.Throws<ArgumentException>(() => PumaCluster.CreateActorSystem(options));

        Assert.Contains("\"127.0.0.1:4053\"", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WaitingForAMemberThatCannotJoinEndsWithTheToken()
    {
        var node = Start(new PumaClusterOptions { SeedNodes = ["akka.tcp://puma@127.0.0.1:1"] }, []);
        using var timeout = new CancellationTokenSource(TimeSpan.FromMilliseconds(500));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => PumaCluster.WhenUpAsync(node, timeout.Token));
    }

    [Theory]
    [InlineData("default", "250ms", "1000ms", "25ms")]
    [InlineData("fast", "100ms", "300ms", "10ms")]
    public void TheFailureDetectorIsConfiguredFromTheOptions(string preset, string heartbeat, string pause, string minStdDeviation)
    {
        var detection = preset == "fast" ? ClusterFailureDetection.Fast : ClusterFailureDetection.Default;
        var config = ClusterActorSystem.Configuration(new PumaClusterOptions { FailureDetection = detection }, []);
        var system = Start(config);
        var settings = system.Settings.Config;

        Assert.Equal(ParseDuration(heartbeat), settings.GetTimeSpan("akka.cluster.failure-detector.heartbeat-interval"));
        Assert.Equal(ParseDuration(pause), settings.GetTimeSpan("akka.cluster.failure-detector.acceptable-heartbeat-pause"));
        Assert.Equal(ParseDuration(pause), settings.GetTimeSpan("akka.cluster.failure-detector.expected-response-after"));
        Assert.Equal(ParseDuration(minStdDeviation), settings.GetTimeSpan("akka.cluster.failure-detector.min-std-deviation"));
        Assert.Equal(8.0, settings.GetDouble("akka.cluster.failure-detector.threshold"));
        Assert.Equal(9, settings.GetInt("akka.cluster.failure-detector.monitored-by-nr-of-members"));
        Assert.Equal(ParseDuration(heartbeat), settings.GetTimeSpan("akka.cluster.unreachable-nodes-reaper-interval"));
        Assert.Equal(TimeSpan.FromMilliseconds(200), settings.GetTimeSpan("akka.cluster.gossip-interval"));
        Assert.Equal(TimeSpan.FromMilliseconds(200), settings.GetTimeSpan("akka.cluster.leader-actions-interval"));
        Assert.Equal(16L * 1024 * 1024, settings.GetByteSize("akka.remote.dot-netty.tcp.maximum-frame-size"));
        Assert.Equal(ParseDuration(heartbeat), AkkaCluster.Get(system).Settings.HeartbeatInterval);
        Assert.Equal(ParseDuration(pause), AkkaCluster.Get(system).Settings.HeartbeatExpectedResponseAfter);
    }

    [Fact]
    public void AkkaDownsNoMemberItself()
    {
        var system = Start(new PumaClusterOptions(), []);
        var settings = AkkaCluster.Get(system).Settings;

        Assert.Equal(typeof(NoDowning), settings.DowningProviderType);
        Assert.True(settings.RunCoordinatedShutdownWhenDown);
        Assert.Equal("cluster", system.Settings.Config.GetString("akka.actor.provider"));
        Assert.Equal("off", system.Settings.Config.GetString("akka.coordinated-shutdown.run-by-clr-shutdown-hook"));
    }

    private static TimeSpan ParseDuration(string value) => TimeSpan.FromMilliseconds(int.Parse(value[..^2], System.Globalization.CultureInfo.InvariantCulture));

    private static PumaClusterOptions NodeOf(ActorSystem supervisor) =>
        new() { Hostname = "127.0.0.2", SeedNodes = [AkkaCluster.Get(supervisor).SelfAddress.ToString()] };

    private static CancellationToken Timeout() => new CancellationTokenSource(Liveness).Token;

    private static async Task<Member> UpMemberAsync(ActorSystem observer, Address address)
    {
        var stopwatch = Stopwatch.StartNew();
        while (true)
        {
            var member = AkkaCluster.Get(observer).State.Members.FirstOrDefault(m => m.Address == address && m.Status == MemberStatus.Up);
            if (member is not null)
                return member;
            if (stopwatch.Elapsed > Liveness)
                throw new TimeoutException($"{observer.Name} did not see {address} Up within {Liveness}.");
            await Task.Delay(50);
        }
    }

    private static async Task AssertNeverMemberAsync(ActorSystem supervisor, ActorSystem node)
    {
        var address = AkkaCluster.Get(node).SelfAddress;
        var stopwatch = Stopwatch.StartNew();
        while (stopwatch.Elapsed < NoJoinWindow)
        {
            Assert.DoesNotContain(AkkaCluster.Get(supervisor).State.Members, m => m.Address == address);
            Assert.NotEqual(MemberStatus.Up, AkkaCluster.Get(node).SelfMember.Status);
            await Task.Delay(100);
        }

        Assert.Single(AkkaCluster.Get(supervisor).State.Members);
    }

    private ActorSystem Start(PumaClusterOptions options, IEnumerable<string> extraRoles)
    {
        var system = ClusterActorSystem.Create(options, extraRoles);
        _systems.Add(system);
        return system;
    }

    private ActorSystem Start(Akka.Configuration.Config config) => Start(ActorSystem.Create("puma", config));

    private ActorSystem Start(ActorSystem system)
    {
        _systems.Add(system);
        return system;
    }
}
