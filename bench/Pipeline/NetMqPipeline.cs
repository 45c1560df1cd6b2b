using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Puma.Bench.Harness;

namespace Puma.Bench.Pipeline;

/// <summary>
/// The three stages as child processes of this bench (<see cref="NetMqStage"/>) joined by NetMQ
/// PUSH/PULL sockets, the ZeroMQ way a .NET user would build this pipeline. Endpoints are
/// <c>ipc://</c> names under the temp directory (NetMQ implements ipc:// as loopback TCP on a port
/// hashed from the name, the same path as its tcp://: both measure alike in <c>transports</c>). The start signal
/// is a FIFO in a fresh temp directory, as for <see cref="PipePipeline"/>, and so is the end signal of each
/// sending stage (its BYE FIFO: a stage keeps its socket until then, see <see cref="NetMqStage"/>). Setup is from creating
/// that directory to every stage having reported ready (the consumer only once a priming frame
/// went through the whole chain); teardown is from the consumer's totals to every child having exited (the BYE signals included).
/// </summary>
internal sealed class NetMqPipeline : IPipelineImplementation
{
    /// <summary>How long the parent waits for a stage's report or exit before killing it.</summary>
    internal static readonly TimeSpan Patience = TimeSpan.FromSeconds(120);

    /// <inheritdoc/>
    public string Name => "netmq-processes";

    /// <inheritdoc/>
    public string Baseline => "channels-threads";

    /// <inheritdoc/>
    public PipelineRun RunOnce(PipelineCase @case)
    {
        var t0 = Stopwatch.GetTimestamp();
        var dir = Directory.CreateTempSubdirectory("puma-bench-netmq-");
        var children = new List<BenchChild>();
        try
        {
            string go = Path.Combine(dir.FullName, "go"), producerBye = Path.Combine(dir.FullName, "bye-producer"), processorBye = Path.Combine(dir.FullName, "bye-processor");
            Fifo.Create(go);
            Fifo.Create(producerBye);
            Fifo.Create(processorBye);
            // ipc:// names (no file is made): NetMQ maps each to a loopback TCP port.
            string a = "ipc://" + Path.Combine(dir.FullName, "a"), b = "ipc://" + Path.Combine(dir.FullName, "b");
            string count = @case.Count.ToString(CultureInfo.InvariantCulture), payload = @case.PayloadBytes.ToString(CultureInfo.InvariantCulture);
            children.Add(BenchChild.Start([NetMqStage.ChildName, "producer", "-", a, go, producerBye, count, payload], Patience));
            children.Add(BenchChild.Start([NetMqStage.ChildName, "processor", a, b, "-", processorBye, count, payload], Patience));
            children.Add(BenchChild.Start([NetMqStage.ChildName, "consumer", b, "-", "-", "-", count, payload], Patience));
            foreach (var child in children)
                Expect(child.NextReport(Patience), "round");
            var setup = Stopwatch.GetElapsedTime(t0).TotalSeconds;
            using (var start = new FileStream(go, FileMode.Open, FileAccess.Write, FileShare.ReadWrite, bufferSize: 0))
                start.WriteByte(1);
            var done = Expect(children[2].NextReport(Patience), "done");
            var totals = JsonSerializer.Deserialize<PipelineTotals>(done.Message!)!;
            var t2 = Stopwatch.GetTimestamp();
            // The senders may close their sockets now: everything arrived.
            Bye(producerBye);
            Bye(processorBye);
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

    /// <summary>Opens and closes a stage's BYE FIFO (the open waits until the stage opened its end), so that the stage reads end of file.</summary>
    private static void Bye(string path)
    {
        using var bye = new FileStream(path, FileMode.Open, FileAccess.Write, FileShare.ReadWrite, bufferSize: 0);
    }

    private static ChildReport Expect(ChildReport? report, string type)
    {
        if (report is null) throw new BenchChildException($"a stage exited before its '{type}' report");
        if (report.Type == "error") throw new BenchChildException($"stage: {report.Message}");
        if (report.Type != type) throw new BenchChildException($"a stage sent '{report.Type}' where '{type}' was expected");
        return report;
    }
}
