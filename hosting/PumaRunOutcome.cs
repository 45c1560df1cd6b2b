namespace Puma.Hosting;

/// <summary>How a hosted runtime ended, and the exit code the hosted service gave the process.</summary>
/// <param name="End">Completed, stopped with the host, or failed.</param>
/// <param name="Failure">
/// What <c>PumaRuntime.WaitAsync</c> threw when <paramref name="End"/> is <see cref="PumaRunEnd.Failed"/>
/// (a <c>RunnableFailedException</c> naming the runnable); otherwise null.
/// </param>
public sealed record PumaRunOutcome(PumaRunEnd End, Exception? Failure)
{
    /// <summary>1 when a runnable failed (the hosted service sets <see cref="Environment.ExitCode"/> to it), else 0.</summary>
    public int ExitCode => End == PumaRunEnd.Failed ? 1 : 0;
}
