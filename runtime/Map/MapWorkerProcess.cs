using Puma.Runnables;
using Puma.Runtime.Supervision;
using Puma.Runtime.Wire;
using Serilog;

namespace Puma.Runtime.Map;

/// <summary>
/// One worker process of a runtime's pool: a <see cref="MapWorkerRunnable"/> run by a <see cref="ProcessRun"/>, like a
/// runnable placed in a process, so its logs reach the runtime's logger and its death (kill -9 included) ends its run
/// within milliseconds, failing the job it was answering.
/// </summary>
internal sealed class MapWorkerProcess
{
    private readonly ProcessRun _run;

    public MapWorkerProcess(int number, ILogger rootLogger)
    {
        Name = $"map-worker-{number}";
        var slot = new RunnableSlot(new MapWorkerRunnable { Name = Name }, Placement.Process, FailurePolicy.StopAll);
        _run = new ProcessRun(slot, 0, rootLogger, static (property, _) => throw new InvalidOperationException($"A map worker has no ports ({property.Name})."), static (_, _) => { });
    }

    /// <summary>Its runnable name, e.g. <c>map-worker-1</c>.</summary>
    public string Name { get; }

    /// <summary>Its process id; 0 until the child has started.</summary>
    public int ProcessId => _run.ProcessId;

    /// <summary>False once its process has ended.</summary>
    public bool IsAlive => !_run.Completion.IsCompleted;

    /// <summary>Completes when the child answers requests; throws when it could not start.</summary>
    public ValueTask WhenReadyAsync(CancellationToken cancellationToken) => _run.WhenReadyAsync(cancellationToken);

    /// <summary>Sends a job and returns the worker's reply; throws when the worker process ends first.</summary>
    public async Task<MapJobReply> RunAsync(MapJob job) =>
        (MapJobReply?)await _run.AskAsync(job, typeof(MapJobReply), CancellationToken.None).ConfigureAwait(false)
            ?? throw new InvalidOperationException($"Map worker {Name} answered a job with nothing.");

    /// <summary>
    /// Why a job sent to this worker failed with <paramref name="error"/>: when its process has ended (waiting up to
    /// 5 s for the run to settle), the run's own error (e.g. <see cref="ChildProcessDiedException"/> with the signal);
    /// else <paramref name="error"/> itself.
    /// </summary>
    public async Task<Exception> WhyAsync(Exception error)
    {
        if (error is not RunnableNotRunningException)
            return error;
        await Task.WhenAny(_run.Completion, Task.Delay(TimeSpan.FromSeconds(5))).ConfigureAwait(false);
        return _run.Completion.IsCompletedSuccessfully && _run.Completion.Result.Error is { } ended ? ended : error;
    }

    /// <summary>Asks the worker to stop (it ends after its current job).</summary>
    public void Stop() => _run.Stop();

    /// <summary>Completes when its process has ended.</summary>
    public Task Ended => _run.Completion;

    /// <summary>Kills the process and waits (at most 5 s) until it is gone.</summary>
    public ValueTask<bool> KillAsync() => _run.KillAsync();
}
