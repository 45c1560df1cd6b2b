using static Puma.Demo.Monitor.MonitorFormat;

namespace Puma.Demo.Monitor;

/// <summary>The monitor as plain lines, one per runnable and buffer: what it prints when the output is not a terminal.</summary>
internal static class MonitorLines
{
    public static void Write(TextWriter output, MetricRates rates, TimeSpan elapsed)
    {
        var at = $"monitor {elapsed.TotalSeconds,5:N1}s";
        foreach (var r in rates.Current.Runnables)
        {
            output.WriteLine($"{at} runnable {r.Name,-10} {r.Placement,-7} pid {r.ProcessId,-7} in {Rate(rates.ItemsInPerSecond(r)),-12} out {Rate(rates.ItemsOutPerSecond(r)),-12} " +
                $"cpu {Percent(r.CpuPercent),-5} rss {Megabytes(r.MemoryBytes),-9} items {Count(r.ItemsIn)} in, {Count(r.ItemsOut)} out, restarts {r.Restarts}");
        }
        foreach (var b in rates.Current.Buffers)
        {
            output.WriteLine($"{at} buffer   {b.Name,-10} written {Rate(rates.WrittenPerSecond(b)),-12} read {Rate(rates.ReadPerSecond(b)),-12} " +
                $"{Megabytes(rates.BytesWrittenPerSecond(b))}/s fill [{Bar(b.FillLevel)}] {Percent(b.FillLevel * 100)} writer waits {Count(b.WriterWaits)}");
        }
        output.Flush();
    }
}
