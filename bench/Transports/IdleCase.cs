using System.Diagnostics;
using Puma.Bench.Harness;

namespace Puma.Bench.Transports;

/// <summary>
/// The CPU an idle reader costs: the child blocks reading while the parent sends one message
/// per window (1 s, 0.25 s with --quick). At every message the child reads its own process CPU
/// time (all threads, clock_gettime(CLOCK_PROCESS_CPUTIME_ID) on Linux, ns resolution) and the
/// wall clock; CPU / wall of each window, in % of one core. The first window (the settle time
/// after start-up) is the warm-up. Reports are printed only at the end so that no work but the
/// waiting happens inside a window.
/// </summary>
internal sealed class IdleCase : TransportCase
{
    /// <inheritdoc/>
    public override string Name => "idle";

    /// <inheritdoc/>
    public override int MessageSize => 64;

    /// <inheritdoc/>
    public override IReadOnlyList<(string Metric, string Unit)> Metrics => [("cpu", "% core")];

    private static TimeSpan Window(CaseSettings s) => s.Quick ? TimeSpan.FromMilliseconds(250) : TimeSpan.FromSeconds(1);

    private static TimeSpan Settle(CaseSettings s) => s.Quick ? TimeSpan.FromMilliseconds(300) : TimeSpan.FromSeconds(1);

    /// <inheritdoc/>
    public override TimeSpan MaxLifetime(CaseSettings s) => TimeSpan.FromSeconds(60) + Settle(s) + Window(s) * s.Repeats * 2;

    /// <inheritdoc/>
    public override IReadOnlyList<CaseSamples> RunParent(TransportLink link, IReadOnlyList<BenchChild> children, CaseSettings settings)
    {
        var child = children.Single();
        var w = link.Writer;
        // Message k starts window k and ends window k-1; window 0 is the settle time.
        for (var k = 0; k <= settings.Repeats + 1; k++)
        {
            Send(w, k, MessageFormat.KindData, k);
            w.Flush();
            if (k <= settings.Repeats) Thread.Sleep(k == 0 ? Settle(settings) : Window(settings));
        }
        SendEnd(w, settings.Repeats + 2);
        var rounds = MeasuredRounds(child.WaitForExit(TimeSpan.FromSeconds(30)), settings.Repeats);
        return [new CaseSamples("cpu", "% core", rounds.Select(r => r.CpuSeconds / r.Seconds * 100).ToList())];
    }

    /// <inheritdoc/>
    public override IReadOnlyList<ChildReport> RunChild(TransportLink link)
    {
        var r = link.Reader;
        var reports = new List<ChildReport>();
        long expected = 0;
        TimeSpan prevCpu = default;
        long prevTs = 0;
        while (true)
        {
            var m = r.Acquire();
            if (MessageFormat.Kind(m) == MessageFormat.KindEndStream)
            {
                r.Release();
                break;
            }
            var cpu = ProcessCpu.Self();
            var ts = Stopwatch.GetTimestamp();
            MessageFormat.Verify(m, expected);
            r.Release();
            if (expected > 0)
            {
                reports.Add(new ChildReport
                {
                    Type = "round",
                    Round = (int)expected - 1,
                    Messages = 1,
                    CpuSeconds = (cpu - prevCpu).TotalSeconds,
                    Seconds = Stopwatch.GetElapsedTime(prevTs, ts).TotalSeconds,
                });
            }
            prevCpu = cpu;
            prevTs = ts;
            expected++;
        }
        return reports;
    }
}
