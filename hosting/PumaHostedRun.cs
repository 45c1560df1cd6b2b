namespace Puma.Hosting;

/// <summary>
/// The hosted runtime's end, as the hosted service saw it. <c>AddPuma</c> registers one as a singleton: resolve it
/// from the host's services to learn, after <c>host.RunAsync()</c> or while the host runs, whether the work was
/// done, stopped or failed.
/// </summary>
public sealed class PumaHostedRun
{
    private readonly TaskCompletionSource<PumaRunOutcome> _outcome = new(TaskCreationOptions.RunContinuationsAsynchronously);

    internal PumaHostedRun()
    {
    }

    /// <summary>
    /// Completes once the runtime has ended. Faults with the exception that prevented the start (for example a
    /// <c>PumaValidationException</c>) when the runtime could not start.
    /// </summary>
    public Task<PumaRunOutcome> Outcome => _outcome.Task;

    internal void Report(PumaRunOutcome outcome) => _outcome.TrySetResult(outcome);

    internal void ReportStartFailure(Exception error) => _outcome.TrySetException(error);
}
