using System.Globalization;

namespace Puma.Runtime.Parent;

/// <summary>
/// The files a .NET process creates in the temporary directory for diagnostics and debugging, which only the
/// process itself removes, at a clean exit.
/// </summary>
/// <remarks>
/// <para>Every .NET process on Unix creates <c>dotnet-diagnostic-PID-KEY-socket</c> (the diagnostics IPC that
/// dotnet-counters, dotnet-trace and dotnet-dump connect to) and <c>clr-debug-pipe-PID-KEY-in</c>/<c>-out</c>
/// (the debugger transport) in <see cref="Path.GetTempPath"/>, where KEY is the process start time in clock
/// ticks since boot (field 22 of <c>/proc/PID/stat</c>). A child killed by a signal (kill -9, a crash, a
/// stop that had to kill it) cannot remove them, and every one killed left three files behind for good.</para>
/// <para>The parent reads the key while the child runs and removes exactly those three names once it has
/// reaped a child that ended by a signal. The key makes this safe against pid reuse: a later process with the
/// same pid has a different start time, so its files have other names.</para>
/// </remarks>
internal readonly record struct RuntimeIpcFiles(int Pid, string Key, string TempDirectory)
{
    /// <summary>
    /// The names for the running process <paramref name="pid"/>, or null when its start time cannot be read
    /// (not Linux, or the process is already gone).
    /// </summary>
    public static RuntimeIpcFiles? Of(int pid, string? tempDirectory = null)
    {
        if (!OperatingSystem.IsLinux())
            return null;

        string stat;
        try
        {
            stat = File.ReadAllText($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/stat");
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }

        return StartTimeOf(stat) is { } key ? new RuntimeIpcFiles(pid, key, tempDirectory ?? Path.GetTempPath()) : null;
    }

    /// <summary>
    /// Field 22 (starttime) of a <c>/proc/PID/stat</c> line. The second field, the command name in parentheses,
    /// may itself hold spaces and parentheses, so fields are counted after the last ')'.
    /// </summary>
    public static string? StartTimeOf(string stat)
    {
        ArgumentNullException.ThrowIfNull(stat);
        var end = stat.LastIndexOf(')');
        if (end < 0)
            return null;

        // After ") " come field 3 (state) onwards: starttime, field 22, is the 20th of them.
        var fields = stat[(end + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return fields.Length >= 20 && ulong.TryParse(fields[19], NumberStyles.None, CultureInfo.InvariantCulture, out _)
            ? fields[19]
            : null;
    }

    /// <summary>The three paths: the diagnostics socket and the debugger's two pipes.</summary>
    public IEnumerable<string> Paths
    {
        get
        {
            var prefix = $"{Pid.ToString(CultureInfo.InvariantCulture)}-{Key}";
            yield return Path.Combine(TempDirectory, $"dotnet-diagnostic-{prefix}-socket");
            yield return Path.Combine(TempDirectory, $"clr-debug-pipe-{prefix}-in");
            yield return Path.Combine(TempDirectory, $"clr-debug-pipe-{prefix}-out");
        }
    }

    /// <summary>Removes the files that exist; best effort, never throws.</summary>
    /// <returns>How many were removed.</returns>
    public int Remove()
    {
        var removed = 0;
        foreach (var path in Paths)
        {
            try
            {
                if (!File.Exists(path))
                    continue;

                File.Delete(path);
                removed++;
            }
            catch (IOException)
            {
                // Best effort: another cleaner may have been first.
            }
            catch (UnauthorizedAccessException)
            {
                // Not ours to remove.
            }
        }

        return removed;
    }
}
