using Puma.Bench.Harness;

namespace Puma.Bench.Frames;

/// <summary>
/// The <c>frames</c> suite: lossless streaming of fixed-shape frames (7 x 8192 float64, 448 KiB)
/// through a 32-frame shared-memory ring to reader processes (one, then broadcast to 1, 2, 3);
/// the writer copies each frame in, the readers read zero-copy and check the frame stamp.
/// Frames/s and GB/s, median of the repeats, with a single-thread memcpy of the frame as the
/// baseline of the ratio column.
/// </summary>
internal sealed class FramesSuite : ISuite
{
    private const string SuiteName = "frames";

    /// <summary>The transport name of the baseline rows.</summary>
    public const string Baseline = "memcpy";

    /// <inheritdoc/>
    public string Name => SuiteName;

    /// <inheritdoc/>
    public string Description => "7x8192 float64 frames (448 KiB) through a 32-frame ring to 1 reader process, broadcast to 1/2/3; baseline: in-process memcpy";

    /// <inheritdoc/>
    public IReadOnlyList<Measurement> Run(CliOptions options, TextWriter output)
    {
        var settings = new FramesSettings(options.Repeats, options.Quick);
        var cases = FramesCase.All.Where(c => options.IncludesCase(c.Name)).ToList();
        var rows = new List<Measurement>();
        foreach (var c in cases)
        {
            if (options.Includes(Baseline))
            {
                // Measured next to each ring case, so both see the same machine load.
                output.Write($"  {c.Name,-12} {Baseline,-9} ");
                var (fpsBase, gbpsBase) = MemcpyBaseline.Run(settings);
                rows.Add(new Measurement(SuiteName, c.Name, Baseline, "throughput", "GB/s", gbpsBase));
                rows.Add(new Measurement(SuiteName, c.Name, Baseline, "frames", "frames/s", fpsBase));
                output.WriteLine($"{ResultTable.Format(Statistics.Median(gbpsBase))} GB/s  {ResultTable.Format(Statistics.Median(fpsBase))} frames/s");
            }
            if (!options.Includes("puma-shm")) continue;
            output.Write($"  {c.Name,-12} {"puma-shm",-9} ");
            var started = DateTime.UtcNow;
            try
            {
                var (fps, gbps) = FramesRun.Run(c, settings);
                rows.Add(new Measurement(SuiteName, c.Name, "puma-shm", "throughput", "GB/s", gbps));
                rows.Add(new Measurement(SuiteName, c.Name, "puma-shm", "frames", "frames/s", fps));
                output.WriteLine($"{ResultTable.Format(Statistics.Median(gbps))} GB/s  {ResultTable.Format(Statistics.Median(fps))} frames/s  ({(DateTime.UtcNow - started).TotalSeconds:0.0}s)");
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                var error = e is BenchChildException ? e.Message : $"{e.GetType().Name}: {e.Message}";
                rows.Add(Measurement.Failed(SuiteName, c.Name, "puma-shm", "throughput", "GB/s", error));
                rows.Add(Measurement.Failed(SuiteName, c.Name, "puma-shm", "frames", "frames/s", error));
                output.WriteLine($"FAILED: {error}");
            }
        }
        output.WriteLine();
        ResultTable.Write(output,
            $"frames: 7x8192 float64 = {FrameFormat.Bytes:#,0} B frames through a {FrameFormat.RingFrames}-frame ring, writer copies in (claim, copy, commit), " +
            $"reader processes read zero-copy and check the stamp; lossless; median of {options.Repeats} rounds{(options.Quick ? " (--quick: 200 ms rounds)" : " of 1 s")}; " +
            "GB/s = 1e9 B/s; memcpy = one thread copying the frame into a 32-frame array in-process (upper bound)",
            rows, Baseline);
        return rows;
    }
}
