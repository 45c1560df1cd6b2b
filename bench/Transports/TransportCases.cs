namespace Puma.Bench.Transports;

/// <summary>The cases of the transports suite, in table order.</summary>
internal static class TransportCases
{
    /// <summary>All cases.</summary>
    public static IReadOnlyList<TransportCase> All { get; } =
    [
        new ThroughputCase("small", 64, inGigabytes: false),
        new ThroughputCase("64k", 64 * 1024, inGigabytes: true),
        new ThroughputCase("1m", 1024 * 1024, inGigabytes: true),
        new PingPongCase(),
        new IdleCase(),
        new ThroughputCase("broadcast", 64 * 1024, inGigabytes: true, readers: 3),
    ];

    /// <summary>The case named <paramref name="name"/>; throws when unknown.</summary>
    public static TransportCase Get(string name) =>
        All.FirstOrDefault(c => c.Name.Equals(name, StringComparison.OrdinalIgnoreCase))
        ?? throw new ArgumentException($"unknown case '{name}' (known: {string.Join(", ", All.Select(c => c.Name))})");
}
