namespace Puma.Runtime.Map;

/// <summary>
/// Runs a map with process workers: leases workers from the pool, sends each a job naming the map's control block
/// (a shared segment with the claim counter), and waits for their replies. A kernel's exception or a worker's death
/// stops the others at their next claim; so does cancellation. Workers that have not answered
/// <c>stopTimeout</c> after a stop are killed, so a map never hangs on a stuck kernel.
/// </summary>
internal static class ProcessMap
{
    public static async Task RunAsync<TIn, TOut>(
        MapWorkerPool pool,
        MapKernel<TIn, TOut> kernel,
        MapOperand<TIn>? input,
        long rangeStart,
        MapOperand<TOut> output,
        MapPlan plan,
        TimeSpan stopTimeout,
        CancellationToken cancellationToken)
        where TIn : unmanaged
        where TOut : unmanaged
    {
        var capture = MapKernelCapture.Of(kernel);
        var inputShared = input is null ? null : SharedOrThrow(input, "input");
        var outputShared = SharedOrThrow(output, "output");
        cancellationToken.ThrowIfCancellationRequested();

        using var control = MapControl.CreateShared(plan);
        var workers = await pool.LeaseAsync(plan.Workers, cancellationToken).ConfigureAwait(false);
        try
        {
            var run = new Run(control);
            var jobs = new Task<MapFailedException?>[workers.Length];
            for (var w = 0; w < workers.Length; w++)
            {
                var job = new MapJob(capture.AssemblyPath, capture.TypeName, capture.Configuration, AppContext.BaseDirectory,
                    control.Name!, w, inputShared, rangeStart, outputShared);
                jobs[w] = RunWorkerAsync(workers[w], job, run);
            }

            using (cancellationToken.Register(static r => ((Run)r!).Stop(MapStop.Cancelled), run))
                await WaitOrKillAsync(Task.WhenAll(jobs), workers, run, stopTimeout).ConfigureAwait(false);

            if (run.FirstFailure is { } failure)
                throw failure;
            if (control.Stopped == MapStop.Cancelled)
                throw new OperationCanceledException("The map was cancelled.", cancellationToken);
        }
        finally
        {
            pool.Return(workers);
        }
    }

    /// <summary>Waits for every job; once the map is stopped, waits <paramref name="stopTimeout"/> more, then kills the workers still busy.</summary>
    private static async Task WaitOrKillAsync(Task all, MapWorkerProcess[] workers, Run run, TimeSpan stopTimeout)
    {
        await Task.WhenAny(all, run.Stopped).ConfigureAwait(false);
        if (all.IsCompleted)
            return;
        if (await Task.WhenAny(all, Task.Delay(stopTimeout)).ConfigureAwait(false) == all)
            return;
        run.Killing = true;
        await Task.WhenAll(workers.Where(w => w.IsAlive).Select(w => w.KillAsync().AsTask())).ConfigureAwait(false);
        await all.ConfigureAwait(false);
    }

    private static async Task<MapFailedException?> RunWorkerAsync(MapWorkerProcess worker, MapJob job, Run run)
    {
        MapFailedException? failure;
        try
        {
            var reply = await worker.RunAsync(job).ConfigureAwait(false);
            if (reply.Failure is null)
                return null;
            failure = MapErrors.KernelFailed(reply.Failure.ToFailure(), MapErrors.ProcessWorker(job.Worker, worker.ProcessId), worker.ProcessId);
        }
        catch (Exception e)
        {
            var chunk = run.Control.ChunkOf(job.Worker);
            run.Stop(MapStop.Failed);
            if (run.Killing)
                return null;
            var plan = run.Control.Plan;
            var length = chunk < 0 ? 0 : (int)Math.Min(plan.ChunkSize, plan.Length - chunk);
            var cause = await worker.WhyAsync(e).ConfigureAwait(false);
            failure = MapErrors.WorkerFailed(MapErrors.ProcessWorker(job.Worker, worker.ProcessId), worker.ProcessId, chunk, length, !worker.IsAlive, cause);
        }

        run.Fail(failure);
        return failure;
    }

    private static SharedOperand SharedOrThrow<T>(MapOperand<T> operand, string role)
        where T : unmanaged =>
        operand.Shared ?? throw new ArgumentException(
            $"The map's {role} is {operand.Description}, memory of this process: worker processes (MapContext.Processes) read and write shared arrays only. "
            + "Create it with runtime.CreateSharedArray, or map with MapContext.Threads.", role);

    /// <summary>One map's shared state on the parent's side: the control block, the first failure, whether stragglers are being killed.</summary>
    private sealed class Run(MapControl control)
    {
        private readonly TaskCompletionSource _stopped = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private MapFailedException? _first;

        public MapControl Control { get; } = control;

        /// <summary>Completes when the map is stopped (cancelled or failed).</summary>
        public Task Stopped => _stopped.Task;

        /// <summary>Set when the workers still busy after a stop are being killed: their deaths are not failures.</summary>
        public volatile bool Killing;

        public MapFailedException? FirstFailure => Volatile.Read(ref _first);

        public void Stop(MapStop reason)
        {
            Control.Stop(reason);
            _stopped.TrySetResult();
        }

        public void Fail(MapFailedException failure)
        {
            Interlocked.CompareExchange(ref _first, failure, null);
            Stop(MapStop.Failed);
        }
    }
}
