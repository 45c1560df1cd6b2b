using System.Diagnostics;
using Puma.Bench.Harness;

namespace Puma.Bench.Transports;

/// <summary>
/// One-way throughput, parent to child: the parent writes messages as fast as the transport
/// takes them for a fixed time per round, then an end-of-round message. The child times each
/// round from the first message it received to the end-of-round message and counts what it got
/// in between; it verifies every message (sequence, payload, tail).
/// Reported as messages/s (<see cref="InGigabytes"/> false) or GB/s (1e9 bytes/s).
/// With several <paramref name="readers"/> (broadcast) every child receives every message and
/// measures its own rate; a round's figure is the slowest reader's rate, i.e. what each reader
/// receives (per reader, not the sum over readers).
/// </summary>
internal sealed class ThroughputCase(string name, int messageSize, bool inGigabytes, int readers = 1) : TransportCase
{
    /// <inheritdoc/>
    public override string Name => name;

    /// <inheritdoc/>
    public override int MessageSize => messageSize;

    /// <summary>True for GB/s, false for messages/s.</summary>
    public bool InGigabytes => inGigabytes;

    /// <inheritdoc/>
    public override int Readers => readers;

    /// <inheritdoc/>
    public override IReadOnlyList<(string Metric, string Unit)> Metrics =>
        [(readers > 1 ? "per-reader" : "throughput", inGigabytes ? "GB/s" : "msg/s")];

    /// <inheritdoc/>
    public override IReadOnlyList<CaseSamples> RunParent(TransportLink link, IReadOnlyList<BenchChild> children, CaseSettings settings)
    {
        var w = link.Writer;
        var checkEvery = Math.Max(1, 4096 / messageSize);
        long seq = 0;
        for (var round = 0; round <= settings.Repeats; round++)
        {
            var end = Stopwatch.GetTimestamp() + (long)((round == 0 ? settings.WarmUp : settings.Round).TotalSeconds * Stopwatch.Frequency);
            do
            {
                for (var k = 0; k < checkEvery; k++) Send(w, seq++, MessageFormat.KindData, round);
            }
            while (Stopwatch.GetTimestamp() < end);
            Send(w, seq++, MessageFormat.KindEndRound, round);
            w.Flush();
        }
        SendEnd(w, seq);
        // Each child times its own rounds; the slowest reader's rate is the round's figure.
        var rates = children
            .Select(child => MeasuredRounds(child.WaitForExit(TimeSpan.FromSeconds(30)), settings.Repeats)
                .Select(r => inGigabytes ? r.Bytes / r.Seconds / 1e9 : r.Messages / r.Seconds).ToList())
            .ToList();
        var samples = Enumerable.Range(0, settings.Repeats).Select(k => rates.Min(perRound => perRound[k])).ToList();
        return [new CaseSamples(Metrics[0].Metric, Metrics[0].Unit, samples)];
    }

    /// <inheritdoc/>
    public override IReadOnlyList<ChildReport> RunChild(TransportLink link)
    {
        var r = link.Reader;
        var reports = new List<ChildReport>();
        long expected = 0, count = 0, first = 0;
        while (true)
        {
            var m = r.Acquire();
            MessageFormat.Verify(m, expected++);
            var kind = MessageFormat.Kind(m);
            if (kind == MessageFormat.KindData)
            {
                if (count++ == 0) first = Stopwatch.GetTimestamp();
            }
            else if (kind == MessageFormat.KindEndRound)
            {
                // From the first message received to this one: count-1 more data messages and this one arrived.
                var seconds = Stopwatch.GetElapsedTime(first).TotalSeconds;
                if (count < 2) throw new InvalidDataException($"round {MessageFormat.Round(m)} had {count} messages");
                reports.Add(new ChildReport { Type = "round", Round = MessageFormat.Round(m), Messages = count, Bytes = count * messageSize, Seconds = seconds });
                count = 0;
            }
            else
            {
                r.Release();
                break;
            }
            r.Release();
        }
        return reports;
    }
}
