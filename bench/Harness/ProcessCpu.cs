using System.Diagnostics;
using System.Runtime.InteropServices;

namespace Puma.Bench.Harness;

/// <summary>
/// The CPU time this process used so far, all threads: clock_gettime(CLOCK_PROCESS_CPUTIME_ID)
/// on Linux (nanosecond resolution, where /proc/pid/stat counts 10 ms ticks), else
/// <see cref="Process.TotalProcessorTime"/>.
/// </summary>
internal static partial class ProcessCpu
{
    private const int ClockProcessCpuTimeId = 2;

    [StructLayout(LayoutKind.Sequential)]
    private struct Timespec
    {
        public long Seconds;
        public long Nanoseconds;
    }

    [LibraryImport("libc", EntryPoint = "clock_gettime")]
    private static partial int ClockGetTime(int clockId, out Timespec ts);

    /// <summary>CPU time used by this process (user + system, all threads).</summary>
    public static TimeSpan Self()
    {
        if (OperatingSystem.IsLinux() && Environment.Is64BitProcess && ClockGetTime(ClockProcessCpuTimeId, out var ts) == 0)
            return TimeSpan.FromTicks(ts.Seconds * TimeSpan.TicksPerSecond + ts.Nanoseconds / 100);
        using var p = Process.GetCurrentProcess();
        return p.TotalProcessorTime;
    }
}
