using Puma.Runtime;

namespace Puma.Hosting;

/// <summary>
/// Waits for the child processes a stop killed to be gone. <c>PumaRuntime.StopAsync</c> returns once it has sent
/// SIGKILL, a few milliseconds before the child has exited; the host's stop should not return before that.
/// A killed child's exit shows as a new <see cref="RunnableInfo.LastExit"/>.
/// </summary>
internal static class KilledChildren
{
    /// <summary>A killed process exits in milliseconds: this only bounds the wait should it not.</summary>
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(5);

    /// <param name="runtime">The stopped runtime.</param>
    /// <param name="before">The runnables as they were before the stop.</param>
    /// <param name="killed">The runnables the stop killed (<see cref="StopResult.Killed"/>).</param>
    public static async Task WaitUntilGoneAsync(PumaRuntime runtime, IReadOnlyList<RunnableInfo> before, IReadOnlyList<string> killed)
    {
        var until = DateTime.UtcNow + Patience;
        foreach (var name in killed)
        {
            var previous = before.FirstOrDefault(r => r.Name == name)?.LastExit;
            while (ReferenceEquals(runtime.GetRunnable(name).LastExit, previous) && DateTime.UtcNow < until)
                await Task.Delay(5).ConfigureAwait(false);
        }
    }
}
