using System.Diagnostics;

namespace Puma.Runtime.Metrics;

/// <summary>CPU time and resident memory of a process, read when the metrics are observed.</summary>
/// <param name="CpuTime">User and system CPU time so far.</param>
/// <param name="ResidentBytes">Resident set size (working set).</param>
internal readonly record struct ProcessStats(TimeSpan CpuTime, long ResidentBytes)
{
    /// <summary>The stats of process <paramref name="processId"/>; false when it has exited or cannot be read.</summary>
    public static bool TryRead(int processId, out ProcessStats stats)
    {
        stats = default;
        if (processId <= 0)
            return false;
        try
        {
            using var process = Process.GetProcessById(processId);
            if (process.HasExited)
                return false;
            stats = new ProcessStats(process.TotalProcessorTime, process.WorkingSet64);
            return true;
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or System.ComponentModel.Win32Exception or NotSupportedException)
        {
            return false;
        }
    }
}
