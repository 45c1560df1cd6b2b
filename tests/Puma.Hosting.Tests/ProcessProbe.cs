namespace Puma.Hosting.Tests;

/// <summary>Liveness of a process and the shared-memory segments this process holds.</summary>
internal static class ProcessProbe
{
    public static bool IsAlive(int pid)
    {
        if (OperatingSystem.IsLinux())
        {
            string stat;
            try
            {
                stat = File.ReadAllText($"/proc/{pid}/stat");
            }
            catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException or IOException)
            {
                return false;
            }

            // pid (comm) state ...: a zombie (Z) or dead (X) process is gone for our purposes.
            var state = stat[(stat.LastIndexOf(')') + 2)..][0];
            return state is not ('Z' or 'X');
        }

        try
        {
            using var process = System.Diagnostics.Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    /// <summary>Waits up to <paramref name="timeout"/> for the process to be gone.</summary>
    public static async Task<bool> IsGoneWithinAsync(int pid, TimeSpan timeout)
    {
        var until = DateTime.UtcNow + timeout;
        while (IsAlive(pid))
        {
            if (DateTime.UtcNow > until)
                return false;
            await Task.Delay(20);
        }
        return true;
    }

    /// <summary>The Puma ring segments this process has open (memfds named puma-..., Linux).</summary>
    public static IReadOnlyList<string> OpenPumaSegments()
    {
        if (!OperatingSystem.IsLinux())
            return [];
        var segments = new List<string>();
        foreach (var fd in Directory.EnumerateFiles("/proc/self/fd"))
        {
            try
            {
                if (new FileInfo(fd).LinkTarget is { } target && target.Contains("memfd:puma-", StringComparison.Ordinal))
                    segments.Add(target);
            }
            catch (IOException)
            {
            }
        }
        return segments;
    }

    /// <summary>The entries named puma* in /dev/shm (file-backed segments; empty where memfds are used).</summary>
    public static HashSet<string> ShmEntries() =>
        Directory.Exists("/dev/shm")
            ? Directory.EnumerateFileSystemEntries("/dev/shm", "puma*").ToHashSet()
            : [];
}
