namespace Puma.Runtime.Map;

/// <summary>Runs a <see cref="MapJob"/> in a worker process: opens the control block and the arrays, runs the worker loop, and reports.</summary>
internal static unsafe class MapJobRunner
{
    public static MapJobReply Run<TIn, TOut>(MapKernel<TIn, TOut> kernel, MapJob job, MapWorkerSegments segments)
        where TIn : unmanaged
        where TOut : unmanaged
    {
        segments.KeepOnly(job.Input, job.Output);
        using var control = MapControl.Open(job.Control);
        var plan = control.Plan;
        if (job.Worker < 0 || job.Worker >= plan.Workers)
            throw new ArgumentOutOfRangeException(nameof(job), job.Worker, $"The job is for worker {job.Worker}, but its map has workers 0..{plan.Workers - 1}.");
        var input = InputOf<TIn>(job, segments, plan);
        var output = new PointerSpanSource<TOut>(segments.Elements<TOut>(job.Output, "output"), job.Output.Length);
        if (input.Length != plan.Length || output.Length != plan.Length)
            throw new InvalidOperationException($"The map's control block says {plan.Length} elements, but its input has {input.Length} and its output {output.Length}.");
        var outcome = MapWorkerLoop.Run(kernel, input, output, control, job.Worker);
        return new MapJobReply(outcome.Elements, outcome.Chunks, outcome.Failure is { } failure ? MapJobFailure.From(failure) : null);
    }

    private static MapSpanSource<TIn> InputOf<TIn>(MapJob job, MapWorkerSegments segments, MapPlan plan)
        where TIn : unmanaged
    {
        if (job.Input is { } shared)
            return new PointerSpanSource<TIn>(segments.Elements<TIn>(shared, "input"), shared.Length);
        if (typeof(TIn) != typeof(long))
            throw new InvalidOperationException($"The job maps a range, but the kernel's input type is {typeof(TIn).Name}, not long.");
        return (MapSpanSource<TIn>)(object)new RangeSpanSource(job.RangeStart, (int)plan.Length, plan.Workers);
    }
}
