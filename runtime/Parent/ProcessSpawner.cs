using System.Collections.Concurrent;
using System.Diagnostics;

namespace Puma.Runtime.Parent;

/// <summary>
/// Starts processes from one dedicated thread that lives as long as the process.
/// </summary>
/// <remarks>
/// A child arms <c>prctl(PR_SET_PDEATHSIG, SIGKILL)</c>, and Linux fires that signal when the <em>thread</em>
/// that forked the child exits, not the process. .NET's <see cref="Process.Start()"/> forks on the calling
/// thread, so a child started from a thread-pool thread would be killed when the pool retires that thread
/// (after some idle seconds). Forking only from this never-ending background thread makes the signal mean
/// "the parent process died".
/// </remarks>
internal static class ProcessSpawner
{
    private static readonly BlockingCollection<(ProcessStartInfo StartInfo, TaskCompletionSource<Process> Result)> Queue = [];

    private static readonly Thread Thread = StartThread();

    /// <summary>Starts <paramref name="startInfo"/> on the spawner thread.</summary>
    public static Task<Process> StartAsync(ProcessStartInfo startInfo)
    {
        ArgumentNullException.ThrowIfNull(startInfo);
        _ = Thread;
        var result = new TaskCompletionSource<Process>(TaskCreationOptions.RunContinuationsAsynchronously);
        Queue.Add((startInfo, result));
        return result.Task;
    }

    private static Thread StartThread()
    {
        var thread = new Thread(Run) { IsBackground = true, Name = "Puma process spawner" };
        thread.Start();
        return thread;
    }

    private static void Run()
    {
        foreach ((var startInfo, var result) in Queue.GetConsumingEnumerable())
        {
            try
            {
                var process = new Process { StartInfo = startInfo };
                process.Start();
                result.SetResult(process);
            }
            catch (Exception e)
            {
                result.SetException(e);
            }
        }
    }
}
