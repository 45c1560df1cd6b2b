using System.Diagnostics;

namespace Puma.Runtime.Tests.Faults;

/// <summary>Helpers for the fault tests: kill -9 and waiting for a process to be gone.</summary>
internal static class FaultTestSupport
{
    /// <summary>Sends SIGKILL (Unix) or terminates the process.</summary>
    public static void KillNine(int pid)
    {
        using var process = Process.GetProcessById(pid);
        process.Kill();
    }

    /// <summary>True when no process has that pid any more (a zombie counts as gone).</summary>
    public static bool IsGone(int pid)
    {
        if (OperatingSystem.IsLinux())
        {
            try
            {
                var stat = File.ReadAllText($"/proc/{pid}/stat");
                return stat[(stat.LastIndexOf(')') + 2)..].StartsWith('Z');
            }
            catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException or IOException)
            {
                return true;
            }
        }
        try
        {
            using var process = Process.GetProcessById(pid);
            return process.HasExited;
        }
        catch (ArgumentException)
        {
            return true;
        }
    }
}
