namespace Puma.Bench.Transports;

/// <summary>
/// Every transport the <c>transports</c> suite measures, in table order; the first is the
/// baseline of the ratio column. The Puma shared-memory transports plug in here.
/// </summary>
internal static class TransportCatalog
{
    /// <summary>The transport the ratio column divides by.</summary>
    public const string Baseline = "pipe";

    /// <summary>All transports, baseline first.</summary>
    public static IReadOnlyList<ITransport> All { get; } =
    [
        new AnonymousPipeTransport(),
        new AnonymousPipeTransport(batched: false),
        new UnixSocketTransport(),
        new TcpTransport(),
        new NetMq.NetMqTransport(ipc: true),
        new NetMq.NetMqTransport(ipc: false),
        new PumaShm.PumaShmTransport(PumaShm.PumaShmEnds.Typed),
        new PumaShm.PumaShmTransport(PumaShm.PumaShmEnds.Leased),
        new PumaShm.PumaShmTransport(PumaShm.PumaShmEnds.ZeroCopy),
        new BareRing.BareRingTransport(),
    ];

    /// <summary>The transport named <paramref name="name"/>; throws when unknown.</summary>
    public static ITransport Get(string name) =>
        All.FirstOrDefault(t => t.Name.Equals(name, StringComparison.OrdinalIgnoreCase))
        ?? throw new ArgumentException($"unknown transport '{name}' (known: {string.Join(", ", All.Select(t => t.Name))})");
}
