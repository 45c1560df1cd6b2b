using Puma.Bench.Harness;

namespace Puma.Bench.Transports;

/// <summary>The durations and counts of one run of the transports suite.</summary>
internal sealed record CaseSettings(int Repeats, bool Quick)
{
    /// <summary>Length of one measured throughput round.</summary>
    public TimeSpan Round => Quick ? TimeSpan.FromMilliseconds(100) : TimeSpan.FromSeconds(1);

    /// <summary>Length of the warm-up round before the measured ones.</summary>
    public TimeSpan WarmUp => Quick ? TimeSpan.FromMilliseconds(300) : TimeSpan.FromMilliseconds(500);
}

/// <summary>Samples of one metric of a case, one per measured repeat.</summary>
internal sealed record CaseSamples(string Metric, string Unit, List<double> Samples);

/// <summary>
/// One case of the transports suite (small, 64k, 1m, pingpong, idle, broadcast): what the parent
/// does with its ends of the link and the child processes, and what a child does with its ends.
/// A case runs one child (or <see cref="Readers"/> children, each receiving every message) that
/// does a warm-up round (round 0, not reported) and then the measured rounds; a child verifies
/// every message it gets and reports on its stdout at the end.
/// </summary>
internal abstract class TransportCase
{
    /// <summary>The case's name on the command line and in the table.</summary>
    public abstract string Name { get; }

    /// <summary>The size of every message, in bytes.</summary>
    public abstract int MessageSize { get; }

    /// <summary>
    /// The number of child processes that each receive every message the parent writes (default 1).
    /// With more than one the link is one-way: over a native broadcast (<see cref="IBroadcastTransport"/>)
    /// or one link per child, the parent writing every message to each.
    /// </summary>
    public virtual int Readers => 1;

    /// <summary>The metrics this case reports, with their units, in table order.</summary>
    public abstract IReadOnlyList<(string Metric, string Unit)> Metrics { get; }

    /// <summary>An upper bound of the case's running time, after which the child is killed.</summary>
    public virtual TimeSpan MaxLifetime(CaseSettings s) =>
        TimeSpan.FromSeconds(60) + (s.WarmUp + s.Round) * (s.Repeats + 1) * 4;

    /// <summary>
    /// Parent side: drives the children (one per reader, <see cref="Readers"/>) through the link, waits for
    /// them to exit, returns the samples. The link's writer reaches every child; its reader (one child only)
    /// reads back from the child.
    /// </summary>
    public abstract IReadOnlyList<CaseSamples> RunParent(TransportLink link, IReadOnlyList<BenchChild> children, CaseSettings settings);

    /// <summary>Child side: receives (and for ping-pong answers) until end of stream; returns the reports to print.</summary>
    public abstract IReadOnlyList<ChildReport> RunChild(TransportLink link);

    /// <summary>Claims, fills and commits message <paramref name="seq"/>.</summary>
    protected static void Send(IMessageWriter writer, long seq, int kind, int round)
    {
        MessageFormat.Write(writer.Claim(), seq, kind, round);
        writer.Commit();
    }

    /// <summary>Sends the end-of-stream message and flushes.</summary>
    protected static void SendEnd(IMessageWriter writer, long seq)
    {
        Send(writer, seq, MessageFormat.KindEndStream, 0);
        writer.Flush();
    }

    /// <summary>The measured rounds' reports (round 0, the warm-up, is left out); throws when some are missing.</summary>
    protected static List<ChildReport> MeasuredRounds(List<ChildReport> reports, int repeats)
    {
        var rounds = reports.Where(r => r.Type == "round" && r.Round >= 1).OrderBy(r => r.Round).ToList();
        if (rounds.Count != repeats)
            throw new BenchChildException($"the child reported {rounds.Count} measured rounds, expected {repeats}");
        return rounds;
    }
}
