namespace Puma.Bench.Pipeline;

/// <summary>One case of the <c>pipeline</c> suite: how many messages of which kind, and the buffer sizes.</summary>
/// <param name="Name">The case's name in the table.</param>
/// <param name="Count">Messages sent through the pipeline per repeat.</param>
/// <param name="PayloadBytes">Payload bytes per message; 0 for the 16-byte <see cref="SmallMessage"/>.</param>
/// <param name="Capacity">Buffer capacity in items (bounds in-process channels).</param>
/// <param name="CapacityBytes">Shared-memory ring size in bytes (bounds cross-process buffers).</param>
/// <param name="Pooled">Large messages with pooled payloads (<see cref="PooledMessage"/>) instead of a new array per decode.</param>
/// <param name="Leased">
/// Puma's stages on the leased path (claimed output, <c>InputLeased</c> input: <see cref="LeasedPipelineProducer"/>,
/// <see cref="LeasedPipelineProcessor"/>, <see cref="LeasedPipelineConsumer"/>); the other implementations, which
/// have no such path, run their <see cref="Pooled"/> equivalent (set with it).
/// </param>
internal sealed record PipelineCase(string Name, long Count, int PayloadBytes, int Capacity, long CapacityBytes, bool Pooled = false, bool Leased = false)
{
    /// <summary>True for the case of <see cref="LargeMessage"/>s.</summary>
    public bool IsLarge => PayloadBytes > 0;

    /// <summary>
    /// The cases: 2M small messages (100k with <c>--quick</c>; 4096 per buffer, a 128 KiB ring holds about as many:
    /// the same depth of queue as the in-process channels and about the pipes' buffers. A deeper ring trades latency
    /// for throughput: 4 MiB made 9.2-9.3 M msg/s at 14 ms mean latency against 7.4-7.5 M at 0.6 ms, two alternating
    /// pairs on 2026-12-07; a buffer's default, 4096 x 16 KiB = 64 MiB, 6.7 M at 49 ms);
    /// 1000 messages of 1 MiB (200 with <c>--quick</c>; 8 per buffer, an 8 MiB ring holds 7), as
    /// <see cref="LargeMessage"/> (a new array per decode), as <see cref="PooledMessage"/>, and on
    /// Puma's leased path (the others pooled).
    /// </summary>
    public static IReadOnlyList<PipelineCase> All(bool quick) =>
    [
        new("small", quick ? 100_000 : 2_000_000, 0, Capacity: 4096, CapacityBytes: 128 << 10),
        new("1m", quick ? 200 : 1000, 1 << 20, Capacity: 8, CapacityBytes: 8L << 20),
        new("1m-pooled", quick ? 200 : 1000, 1 << 20, Capacity: 8, CapacityBytes: 8L << 20, Pooled: true),
        new("1m-leased", quick ? 200 : 1000, 1 << 20, Capacity: 8, CapacityBytes: 8L << 20, Pooled: true, Leased: true),
    ];
}
