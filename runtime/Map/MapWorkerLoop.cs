using System.Runtime.CompilerServices;

namespace Puma.Runtime.Map;

/// <summary>
/// One worker's loop, the same in every context: claim a chunk, map it, until the chunks run out or the map stops.
/// A kernel's exception stops the map for every worker and is returned with the failing index.
/// </summary>
internal static class MapWorkerLoop
{
    public static MapWorkerOutcome Run<TIn, TOut>(MapKernel<TIn, TOut> kernel, MapSpanSource<TIn> input, MapSpanSource<TOut> output, MapControl control, int worker)
        where TIn : unmanaged
        where TOut : unmanaged
    {
        var byChunk = kernel.MapsByChunk;
        long elements = 0;
        long chunks = 0;
        while (control.TryClaim(worker, out var start, out var length))
        {
            ReadOnlySpan<TIn> source = input.Slice(worker, start, length);
            var target = output.Slice(worker, start, length);
            var failure = byChunk ? MapChunk(kernel, start, source, target) : MapElements(kernel, start, source, target);
            if (failure is not null)
            {
                control.Stop(MapStop.Failed);
                return new MapWorkerOutcome(elements, chunks, failure);
            }
            elements += length;
            chunks++;
        }
        return new MapWorkerOutcome(elements, chunks, null);
    }

    /// <remarks>
    /// Optimized at its first call (no tiering): a new worker process would otherwise run its first chunks in
    /// unoptimized code until on-stack replacement and tier-up catch up.
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static MapFailure? MapElements<TIn, TOut>(MapKernel<TIn, TOut> kernel, long start, ReadOnlySpan<TIn> input, Span<TOut> output)
        where TIn : unmanaged
        where TOut : unmanaged
    {
        var i = 0;
        try
        {
            for (; i < input.Length; i++)
                output[i] = kernel.Map(input[i]);
            return null;
        }
        catch (Exception e)
        {
            return new MapFailure(start + i, start, input.Length, e);
        }
    }

    private static MapFailure? MapChunk<TIn, TOut>(MapKernel<TIn, TOut> kernel, long start, ReadOnlySpan<TIn> input, Span<TOut> output)
        where TIn : unmanaged
        where TOut : unmanaged
    {
        try
        {
            kernel.MapChunk(start, input, output);
            return null;
        }
        catch (Exception e)
        {
            return new MapFailure(start, start, input.Length, e);
        }
    }
}
