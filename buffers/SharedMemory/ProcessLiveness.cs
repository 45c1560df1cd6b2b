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
        if (pid <= 0) return false;
        if (pid == Environment.ProcessId) return true;
        if (OperatingSystem.IsLinux() || OperatingSystem.IsMacOS())
        {
            if (Kill(pid, 0) != 0 && Marshal.GetLastPInvokeError() == Esrch) return false;
            return !OperatingSystem.IsLinux() || !IsZombie(pid);
        }
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
    }

    private static bool IsZombie(int pid)
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
            return true; // gone since kill(pid, 0) saw it
        }
        catch (IOException)
        {
            return false; // e.g. too many open files, or reaped between open and read: kill() decides next time
        }
        catch (UnauthorizedAccessException)
        {
            return false;
        }
        // "pid (comm) S ...": the state follows the last ')' (comm may itself contain ')').
        var close = stat[..length].LastIndexOf((byte)')');
        if (close < 0 || close + 2 >= length) return false;
        var state = stat[close + 2];
        return state is (byte)'Z' or (byte)'X' or (byte)'x';
    }
}
