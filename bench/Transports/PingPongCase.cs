using System.Diagnostics;
using Puma.Bench.Harness;

namespace Puma.Bench.Transports;

/// <summary>
/// Round-trip latency: the parent sends one 64-byte message (and flushes), the child verifies it
/// and sends it back on the reverse channel, the parent verifies the echo. Each round trip is
/// timed in the parent; p50 and p99 per round (after a warm-up), median over rounds, in µs.
/// </summary>
internal sealed class PingPongCase : TransportCase
{
    /// <inheritdoc/>
    public override string Name => "pingpong";

    /// <inheritdoc/>
    public override int MessageSize => 64;

    /// <inheritdoc/>
    public override IReadOnlyList<(string Metric, string Unit)> Metrics => [("p50", "us"), ("p99", "us")];

    private static int RoundTrips(CaseSettings s) => s.Quick ? 5_000 : 100_000;

    private static int WarmUpTrips(CaseSettings s) => s.Quick ? 1_000 : 20_000;

    /// <inheritdoc/>
    public override TimeSpan MaxLifetime(CaseSettings s) =>
        TimeSpan.FromSeconds(60) + TimeSpan.FromMilliseconds(1) * (RoundTrips(s) * s.Repeats + WarmUpTrips(s));

    /// <inheritdoc/>
    public override IReadOnlyList<CaseSamples> RunParent(TransportLink link, IReadOnlyList<BenchChild> children, CaseSettings settings)
    {
        var child = children.Single();
        var w = link.Writer;
        var r = link.Reader;
        long seq = 0;
        var rtt = new long[RoundTrips(settings)];
        var p50 = new List<double>();
        var p99 = new List<double>();
        for (var i = 0; i < WarmUpTrips(settings); i++) RoundTrip(0);
        for (var round = 1; round <= settings.Repeats; round++)
        {
            for (var i = 0; i < rtt.Length; i++) rtt[i] = RoundTrip(round);
            Array.Sort(rtt);
            p50.Add(ToMicroseconds(Statistics.PercentileOfSorted(rtt, 50)));
            p99.Add(ToMicroseconds(Statistics.PercentileOfSorted(rtt, 99)));
        }
        SendEnd(w, seq);
        child.WaitForExit(TimeSpan.FromSeconds(30));
        return [new CaseSamples("p50", "us", p50), new CaseSamples("p99", "us", p99)];

        long RoundTrip(int round)
        {
            var t0 = Stopwatch.GetTimestamp();
            Send(w, seq, MessageFormat.KindData, round);
            w.Flush();
            MessageFormat.Verify(r.Acquire(), seq);
            r.Release();
            seq++;
            return Stopwatch.GetTimestamp() - t0;
        }
    }

    private static double ToMicroseconds(long ticks) => ticks * 1e6 / Stopwatch.Frequency;

    /// <inheritdoc/>
    public override IReadOnlyList<ChildReport> RunChild(TransportLink link)
    {
        var r = link.Reader;
        var w = link.Writer;
        long expected = 0;
        while (true)
        {
            var m = r.Acquire();
            if (MessageFormat.Kind(m) == MessageFormat.KindEndStream)
            {
                r.Release();
                break;
            }
            MessageFormat.Verify(m, expected++);
            m.CopyTo(w.Claim());
            r.Release();
            w.Commit();
            w.Flush();
        }
        return [new ChildReport { Type = "round", Round = 0, Messages = expected }];
    }
}
