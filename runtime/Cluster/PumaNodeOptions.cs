using Serilog;

namespace Puma.Runtime.Cluster;

/// <summary>Settings of a node agent (<c>PumaNode</c>): how it joins the cluster and where its own events go.</summary>
public sealed record PumaNodeOptions
{
    /// <summary>How the node joins: <see cref="PumaClusterOptions.SeedNodes"/> must name the supervisor (or another member).</summary>
    public required PumaClusterOptions Cluster { get; init; }

    /// <summary>How long <c>PumaNode.StartAsync</c> waits to be up in the cluster (a wrong seed, a refused TLS handshake) before it gives up. Default 60 s.</summary>
    public TimeSpan JoinTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>The node's own log events (joins, placements, children); runnables' events go to the supervisor's logger. Defaults to Serilog's <c>Log.Logger</c>.</summary>
    public ILogger? Logger { get; init; }
}
