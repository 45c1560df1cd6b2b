using System.Diagnostics;
using Puma.Runtime;

namespace Puma.Hosting;

/// <summary>
/// Waits for the child processes a stop killed to be gone. <c>PumaRuntime.StopAsync</c> returns once it has sent
/// SIGKILL, a few milliseconds before the child has exited; the host's stop should not return before that.
/// </summary>
internal static class KilledChildren
{
    /// <summary>A killed process exits in milliseconds: this only bounds the wait should it not.</summary>
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(5);

    /// <param name="runtime">The stopped runtime.</param>
    /// <param name="killed">The runnables the stop killed (<see cref="StopResult.Killed"/>).</param>
    public static async Task WaitUntilGoneAsync(PumaRuntime runtime, IReadOnlyList<string> killed)
    {
        var until = DateTime.UtcNow + Patience;
        foreach (var name in killed)
        {
            var pid = runtime.GetRunnable(name).ProcessId;
            while (pid != 0 && IsRunning(pid) && DateTime.UtcNow < until)
                await Task.Delay(5).ConfigureAwait(false);
        }
    }

    /// <summary>True while the process exists and is not a zombie (a zombie has exited; the runtime reaps it).</summary>
    private static bool IsRunning(int pid)
    {
        if (OperatingSystem.IsLinux())
        {
            string stat;
            try
            {
                stat = File.ReadAllText($"/proc/{pid}/stat");
            }
            catch (IOException)
            {
                return false;
            }
            // "pid (comm) state ...": Z (zombie) and X (dead) have exited.
            var state = stat[(stat.LastIndexOf(')') + 2)..][0];
            return state is not ('Z' or 'X');
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
    }
}
