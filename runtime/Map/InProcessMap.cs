namespace Puma.Runtime.Map;

/// <summary>Runs a map with serial or thread workers in this process: the serial worker on the calling thread, thread workers on the thread pool.</summary>
internal static class InProcessMap
{
    public static async Task RunAsync<TIn, TOut>(MapKernel<TIn, TOut> kernel, MapSpanSource<TIn> input, MapSpanSource<TOut> output, MapPlan plan, CancellationToken cancellationToken)
        where TIn : unmanaged
        where TOut : unmanaged
    {
        cancellationToken.ThrowIfCancellationRequested();
        using var control = MapControl.CreateLocal(plan);
        MapWorkerOutcome[] outcomes;
        using (cancellationToken.Register(static c => ((MapControl)c!).Stop(MapStop.Cancelled), control))
        {
            if (plan.Context == MapContext.Serial)
            {
                outcomes = [MapWorkerLoop.Run(kernel, input, output, control, 0)];
            }
            else
            {
                var workers = new Task<MapWorkerOutcome>[plan.Workers];
                for (var w = 0; w < workers.Length; w++)
                {
                    var worker = w;
                    workers[w] = Task.Run(() => MapWorkerLoop.Run(kernel, input, output, control, worker), CancellationToken.None);
                }
                outcomes = await Task.WhenAll(workers).ConfigureAwait(false);
            }
        }

        for (var w = 0; w < outcomes.Length; w++)
        {
            if (outcomes[w].Failure is { } failure)
                throw MapErrors.KernelFailed(failure, MapErrors.ThreadWorker(plan.Context, w, failure.ThreadId), Environment.ProcessId);
        }
        if (control.Stopped == MapStop.Cancelled)
            throw new OperationCanceledException("The map was cancelled.", cancellationToken);
    }
}
