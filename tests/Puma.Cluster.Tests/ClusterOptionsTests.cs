using Puma.Runtime.Cluster;

namespace Puma.Cluster.Tests;

public sealed class ClusterOptionsTests
{
    [Fact]
    public void DefaultsBindToLoopbackOnAFreePort()
    {
        var options = new PumaClusterOptions();

        Assert.Equal("127.0.0.1", options.Hostname);
        Assert.Equal(0, options.Port);
        Assert.Equal("puma", options.SystemName);
        Assert.Null(options.Tls);
    }
}
