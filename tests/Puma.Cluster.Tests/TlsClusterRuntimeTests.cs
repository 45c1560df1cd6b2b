using System.Threading.Channels;
using Puma.Runnables;
using Puma.Runtime;
using Puma.Runtime.Cluster;

namespace Puma.Cluster.Tests;

/// <summary>Emits Count numbers 0..Count-1, then completes.</summary>
public sealed class Numbers : Runnable
{
    private long _next;

    public required ChannelWriter<long> Output { get; init; }

    public long Count { get; set; }

    protected override void Configure(Handlers on) => on.Produce(async ct =>
    {
        if (_next >= Count)
            return false;
        await Output.WriteAsync(_next++, ct);
        return true;
    });
}

/// <summary>A runtime whose cluster has TLS: a node with the certificate runs a runnable and its buffer crosses (over TLS); a node without TLS cannot join.</summary>
public sealed class TlsClusterRuntimeTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task ANodeWithTheCertificateRunsARunnableWhoseItemsCrossOverTls()
    {
        using var certificate = TestCertificates.CreateSelfSigned();
        var tls = new ClusterTls(certificate, SuppressValidation: true);
        await using var runtime = new PumaRuntime(new PumaOptions { Cluster = new PumaClusterOptions { Tls = tls }, Logger = Serilog.Core.Logger.None });
        using var joining = new CancellationTokenSource(Patience);
        await using var node = await PumaNode.StartAsync(new PumaNodeOptions
        {
            Cluster = new PumaClusterOptions { Hostname = "127.0.0.2", SeedNodes = [runtime.ClusterAddress!], Roles = ["secure"], Tls = tls },
            Logger = Serilog.Core.Logger.None,
        }, joining.Token);
        var numbers = runtime.CreateBuffer<long>("numbers", 64);
        runtime.Add(new Numbers { Name = "numbers", Output = numbers.Writer, Count = 5000 }, NodePlacement.WithRole("secure"));
        var reader = numbers.Reader;
        await runtime.StartAsync();

        var received = new List<long>();
        using var reading = new CancellationTokenSource(Patience);
        await foreach (var n in reader.ReadAllAsync(reading.Token))
            received.Add(n);
        await runtime.WaitAsync().WaitAsync(Patience);

        Assert.Equal(Enumerable.Range(0, 5000).Select(i => (long)i), received);
        Assert.Equal(node.Address, runtime.GetRunnable("numbers").Node);
        Assert.StartsWith("akka.ssl.tcp://puma@127.0.0.2:", node.Address); // a TLS cluster's addresses
    }

    [Fact]
    public async Task ANodeWithoutTlsCannotJoinATlsCluster()
    {
        using var certificate = TestCertificates.CreateSelfSigned();
        await using var runtime = new PumaRuntime(new PumaOptions
        {
            Cluster = new PumaClusterOptions { Tls = new ClusterTls(certificate, SuppressValidation: true) },
            Logger = Serilog.Core.Logger.None,
        });
        var seed = runtime.ClusterAddress!;

        using var giveUp = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        var refused = await Assert.ThrowsAnyAsync<Exception>(() => PumaNode.StartAsync(new PumaNodeOptions
        {
            Cluster = new PumaClusterOptions { Hostname = "127.0.0.2", SeedNodes = [seed] },
            Logger = Serilog.Core.Logger.None,
        }, giveUp.Token));

        Assert.True(refused is OperationCanceledException or InvalidOperationException, refused.ToString());
    }
}
