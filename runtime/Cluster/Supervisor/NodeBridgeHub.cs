using System.Net;
using Puma.Runtime.Cluster.Bridge;
using Puma.Runtime.Cluster.Protocol;
using Puma.Runtime.Supervision;
using Serilog;

namespace Puma.Runtime.Cluster.Supervisor;

/// <summary>
/// Where the buffers of runnables on nodes meet the supervisor's rings: one TCP listener (on the supervisor's cluster
/// host) and one <see cref="NodePortEndpoint"/> per port of every runnable placed on a node.
/// </summary>
/// <remarks>
/// Every buffer keeps its one ring in the supervisor's process, as for process runnables, and a port on a node is a
/// bridged copy of the end a child process would hold: so the buffer's mode, capacity, completion and restarts behave
/// exactly as on one machine. The price is that a buffer between two nodes crosses the supervisor's machine.
/// </remarks>
internal sealed class NodeBridgeHub : IAsyncDisposable
{
    private readonly BridgeListener _listener;
    private readonly Dictionary<(string Runnable, string Port), NodePortEndpoint> _endpoints = [];

    private NodeBridgeHub(BridgeListener listener) => _listener = listener;

    /// <summary>The host the nodes connect to.</summary>
    public string Host => _listener.Endpoint.Address.ToString();

    /// <summary>Listens on <paramref name="host"/> and makes an endpoint for every buffer port of every runnable on a node.</summary>
    public static NodeBridgeHub Create(IEnumerable<RunnableSlot> nodeSlots, TransportPlan transports, string host, ClusterTls? tls, ILogger log)
    {
        var address = IPAddress.TryParse(host, out var ip) ? ip : Dns.GetHostAddresses(host)[0];
        var hub = new NodeBridgeHub(new BridgeListener(address, 0, tls?.Certificate, validateChain: tls is { SuppressValidation: false }));
        foreach (var slot in nodeSlots)
        {
            foreach (var port in slot.Ports)
            {
                if (port.BufferEnd is not { } end || transports.RingOf(end.Buffer.Name) is not { } ring)
                    continue;
                var readerSlot = end.IsWriter ? -1 : transports.ReaderSlotOf(end.Buffer.Name, slot.Name, end.Index);
                hub._endpoints[(slot.Name, port.Name)] = new NodePortEndpoint(hub._listener, ring, slot.Name, port.Name, end.IsWriter, readerSlot, log);
            }
        }
        return hub;
    }

    /// <summary>The ports a run of <paramref name="slot"/> brings to its node.</summary>
    public IReadOnlyList<ProxyPort> PortsFor(RunnableSlot slot) =>
        slot.Ports
            .Where(p => _endpoints.ContainsKey((slot.Name, p.Name)))
            .Select(p =>
            {
                var endpoint = _endpoints[(slot.Name, p.Name)];
                return new ProxyPort(p.Name, p.BufferEnd!.Buffer.Name, endpoint.IsWriter, p.BufferEnd.Buffer.CapacityBytes, Host, _listener.Endpoint.Port, endpoint.Token);
            })
            .ToArray();

    /// <summary>The runnable ended for good (any way): its ports take no more runs and give up their places in the rings.</summary>
    public void Close(string runnable)
    {
        foreach (var endpoint in _endpoints.Values.Where(e => e.Runnable == runnable))
            endpoint.Close();
    }

    /// <summary>Stops every endpoint and the listener.</summary>
    public async ValueTask DisposeAsync()
    {
        foreach (var endpoint in _endpoints.Values)
            await endpoint.DisposeAsync().ConfigureAwait(false);
        await _listener.DisposeAsync().ConfigureAwait(false);
    }
}
