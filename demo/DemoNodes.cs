using Puma.Runtime.Cluster;
using Serilog;

namespace Puma.Demo;

/// <summary>The demo's two node agents for <c>--placement cluster</c>: local processes on 127.0.0.2 and 127.0.0.3, free ports.</summary>
public sealed class DemoNodes : IAsyncDisposable
{
    public const string ProducerRole = "producer";
    public const string ProcessorRole = "processor";

    private readonly PumaNodeProcess[] _nodes;

    private DemoNodes(PumaNodeProcess[] nodes) => _nodes = nodes;

    public static async Task<DemoNodes> StartAsync(string supervisor)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var nodes = await Task.WhenAll(
            PumaNodeProcess.StartAsync(new PumaClusterOptions { Hostname = "127.0.0.2", SeedNodes = [supervisor], Roles = [ProducerRole] }, timeout.Token),
            PumaNodeProcess.StartAsync(new PumaClusterOptions { Hostname = "127.0.0.3", SeedNodes = [supervisor], Roles = [ProcessorRole] }, timeout.Token));
        foreach (var node in nodes)
            Log.Information("Node agent {Node} (pid {Pid}) joined the cluster of {Supervisor}", node.Address, node.Pid, supervisor);
        return new DemoNodes(nodes);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var node in _nodes)
            await node.DisposeAsync();
    }
}
