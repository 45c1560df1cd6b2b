using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Puma.Bench.Harness;

namespace Puma.Bench.Pipeline;

/// <summary>
/// The cross-process baseline: the same three stages, each a child process of this bench
/// (<see cref="PipeStage"/>), joined by two named pipes (FIFOs in a fresh temp directory).
/// Setup is from creating the FIFOs to every stage having opened its pipes and reported ready;
/// the producer then gets its start byte; teardown is from the consumer's totals to every child
/// having exited.
/// </summary>
internal sealed class PipePipeline : IPipelineImplementation
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(120);

    /// <inheritdoc/>
    public string Name => "pipes-processes";

    /// <inheritdoc/>
    public string Baseline => "channels-threads";

    /// <inheritdoc/>
    public PipelineRun RunOnce(PipelineCase @case)
    {
        var t0 = Stopwatch.GetTimestamp();
        var dir = Directory.CreateTempSubdirectory("puma-bench-pipes-");
        var children = new List<BenchChild>();
        try
        {
            string a = Path.Combine(dir.FullName, "a"), b = Path.Combine(dir.FullName, "b"), go = Path.Combine(dir.FullName, "go");
            Fifo.Create(a);
            Fifo.Create(b);
            Fifo.Create(go);
            string count = @case.Count.ToString(CultureInfo.InvariantCulture), payload = @case.PayloadBytes.ToString(CultureInfo.InvariantCulture);
            children.Add(BenchChild.Start(["pipeline-stage", "producer", "-", a, go, count, payload], Patience));
            children.Add(BenchChild.Start(["pipeline-stage", "processor", a, b, "-", count, payload], Patience));
            children.Add(BenchChild.Start(["pipeline-stage", "consumer", b, "-", "-", count, payload], Patience));
            foreach (var child in children)
                Expect(child.NextReport(Patience), "round");
            var setup = Stopwatch.GetElapsedTime(t0).TotalSeconds;
            using (var start = new FileStream(go, FileMode.Open, FileAccess.Write, FileShare.ReadWrite, bufferSize: 0))
                start.WriteByte(1);
            var done = Expect(children[2].NextReport(Patience), "done");
            var totals = JsonSerializer.Deserialize<PipelineTotals>(done.Message!)!;
            var t2 = Stopwatch.GetTimestamp();
            foreach (var child in children)
                child.WaitForExit(Patience);
            foreach (var child in children)
                child.Dispose();
            children.Clear();
            dir.Delete(recursive: true);
            return new PipelineRun(totals, setup, Stopwatch.GetElapsedTime(t2).TotalSeconds);
        }
        finally
        {
            foreach (var child in children)
                child.Dispose();
            if (dir.Exists) dir.Delete(recursive: true);
        }
    }

    private static ChildReport Expect(ChildReport? report, string type)
    {
        if (report is null) throw new BenchChildException($"a stage exited before its '{type}' report");
        if (report.Type == "error") throw new BenchChildException($"stage: {report.Message}");
        if (report.Type != type) throw new BenchChildException($"a stage sent '{report.Type}' where '{type}' was expected");
        return report;
    }
}
