using System.Runtime.InteropServices;

namespace Puma.Bench.Harness;

/// <summary>The machine a run was measured on, printed at the top of every table.</summary>
internal static class MachineInfo
{
    /// <summary>Lines describing cores, CPU model, OS, .NET version and the load at start.</summary>
    public static IEnumerable<string> Describe()
    {
        yield return $"machine : {Environment.ProcessorCount} cores, {CpuModel()}";
        yield return $"os      : {RuntimeInformation.OSDescription} ({RuntimeInformation.OSArchitecture})";
        yield return $".NET    : {RuntimeInformation.FrameworkDescription}, GC {(System.Runtime.GCSettings.IsServerGC ? "server" : "workstation")}";
        var load = LoadAverage();
        if (load is not null) yield return $"load    : {load} (1/5/15 min load average at start)";
        yield return $"date    : {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC";
    }

    /// <summary>The CPU model name from /proc/cpuinfo, or the architecture when unavailable.</summary>
    public static string CpuModel()
    {
        try
        {
            if (File.Exists("/proc/cpuinfo"))
            {
                foreach (var line in File.ReadLines("/proc/cpuinfo"))
                {
                    if (line.StartsWith("model name", StringComparison.Ordinal))
                    {
                        var colon = line.IndexOf(':');
                        if (colon >= 0) return line[(colon + 1)..].Trim();
                    }
                }
            }
        }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
        return RuntimeInformation.ProcessArchitecture.ToString();
    }

    private static string? LoadAverage()
    {
        try
        {
            if (!File.Exists("/proc/loadavg")) return null;
            var parts = File.ReadAllText("/proc/loadavg").Split(' ');
            return parts.Length >= 3 ? $"{parts[0]} {parts[1]} {parts[2]}" : null;
        }
        catch (IOException) { return null; }
    }
}
