using System.Diagnostics;
using System.Runtime.InteropServices;

namespace Puma.Buffers.SharedMemory;

/// <summary>Tells whether a process id names a live (non-zombie) process.</summary>
internal static class ProcessLiveness
{
    private const int Esrch = 3;

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);

    /// <summary>False when the process has exited, been killed or is a zombie awaiting its parent.</summary>
    public static bool IsAlive(int pid)
    {
        // Stryker disable once Equality : pid 0 would go on to /proc/0/stat, which does not exist: not alive either way
        if (pid <= 0) return false;
        if (pid == Environment.ProcessId) return true;
        // /proc/<pid>/stat is missing once the process is reaped and says Z or X while it is a zombie.
        if (OperatingSystem.IsLinux()) return !IsGoneOrZombie(pid);
        // Stryker disable all : not reachable on Linux (macOS and other systems)
        if (OperatingSystem.IsMacOS()) return Kill(pid, 0) == 0 || Marshal.GetLastPInvokeError() != Esrch;
        try
        {
            using var process = Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
        // Stryker restore all
    }

    private static bool IsGoneOrZombie(int pid)
    {
        // Read into a stack buffer (no string, no reader): this runs on every liveness poll of a parked end.
        Span<byte> stat = stackalloc byte[512];
        int length;
        try
        {
            using var handle = File.OpenHandle("/proc/" + pid.ToString(System.Globalization.CultureInfo.InvariantCulture) + "/stat");
            length = RandomAccess.Read(handle, stat, 0);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return true; // no such process (any more)
        }
        catch (IOException)
        {
            return false; // e.g. too many open files, or reaped between open and read: the next poll decides
        }
        catch (UnauthorizedAccessException)
        {
            return false;
        }
        return IsDeadState(stat[..length]);
    }

    /// <summary>True when a /proc/&lt;pid&gt;/stat line says zombie (Z) or dead (X, x); false when it cannot be parsed.</summary>
    internal static bool IsDeadState(ReadOnlySpan<byte> stat)
    {
        // "pid (comm) S ...": the state follows the last ')' (comm may itself contain ')').
        var close = stat.LastIndexOf((byte)')');
        if (close < 0 || close + 2 >= stat.Length) return false;
        var state = stat[close + 2];
        return state is (byte)'Z' or (byte)'X' or (byte)'x';
    }
}
