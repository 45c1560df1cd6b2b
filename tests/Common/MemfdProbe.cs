namespace Puma.Tests.Common;

/// <summary>
/// Whether this process still holds a shared object's segment. A segment is a sealed memfd on Linux, which never
/// appears in /dev/shm: look for it among this process's descriptors (/proc/self/fd) instead. Compiled into each
/// test project that needs it (linked from tests/Common).
/// </summary>
internal static class MemfdProbe
{
    /// <summary>True when this process holds the memfd of <paramref name="segmentName"/> (always false off Linux).</summary>
    public static bool HoldsMemfd(string segmentName)
    {
        if (!OperatingSystem.IsLinux())
            return false;
        var memfd = "/memfd:" + segmentName.Split('@')[0];
        foreach (var fd in Directory.EnumerateFileSystemEntries("/proc/self/fd"))
        {
            string? target;
            try
            {
                target = new FileInfo(fd).LinkTarget;
            }
            catch (IOException)
            {
                continue;
            }
            if (target is not null && target.StartsWith(memfd, StringComparison.Ordinal))
                return true;
        }
        return false;
    }
}
