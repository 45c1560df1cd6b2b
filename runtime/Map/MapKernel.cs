using Puma.Runtime.Map;

namespace Puma.Runtime;

/// <summary>
/// What a parallel map applies to every element: override <see cref="Map"/>, and <see cref="MapChunk"/> too when a
/// loop over a whole chunk is faster (vectorized, or with set-up shared by the chunk's elements).
/// </summary>
/// <remarks>
/// <para>A kernel is configured like a runnable: its public properties with a public setter or <c>init</c> are its
/// configuration. A process worker rebuilds it from them (public type, public parameterless constructor, values that
/// System.Text.Json carries across), so what a kernel knows must be in those properties; a kernel that cannot be
/// rebuilt fails a map in <see cref="MapContext.Processes"/> before any worker starts, naming the property.</para>
/// <para>Serial and thread workers share the instance given to the map: <see cref="Map"/> and <see cref="MapChunk"/>
/// may run on several threads at once and should keep their working state in locals.</para>
/// <para>A worker process is a new process: it compiles the kernel when it first runs it, and would run it unoptimized
/// in its first maps. Mark a hot <see cref="MapChunk"/> (or <see cref="Map"/>)
/// <c>[MethodImpl(MethodImplOptions.AggressiveOptimization)]</c> to have it optimized from its first call.</para>
/// </remarks>
/// <typeparam name="TIn">The input element type.</typeparam>
/// <typeparam name="TOut">The output element type.</typeparam>
public abstract class MapKernel<TIn, TOut> : IMapKernel
    where TIn : unmanaged
    where TOut : unmanaged
{
    private int _byChunk;

    /// <summary>Maps one element.</summary>
    /// <param name="value">The input element.</param>
    /// <returns>The output element.</returns>
    public abstract TOut Map(TIn value);

    /// <summary>
    /// Maps a chunk: <c>output[i] = Map(input[i])</c> for each element, unless overridden. An override must give the
    /// same results as <see cref="Map"/>; <paramref name="input"/> and <paramref name="output"/> are the same memory
    /// when the map writes in place.
    /// </summary>
    /// <param name="start">The index of the chunk's first element in the map's input.</param>
    /// <param name="input">The chunk's input elements.</param>
    /// <param name="output">Where their results go; as long as <paramref name="input"/>.</param>
    public virtual void MapChunk(long start, ReadOnlySpan<TIn> input, Span<TOut> output)
    {
        for (var i = 0; i < input.Length; i++)
            output[i] = Map(input[i]);
    }

    /// <summary>True when the type overrides <see cref="MapChunk"/>; else workers loop over <see cref="Map"/> themselves, which knows the exact failing index.</summary>
    internal bool MapsByChunk
    {
        get
        {
            if (_byChunk == 0)
            {
                var method = GetType().GetMethod(nameof(MapChunk), [typeof(long), typeof(ReadOnlySpan<TIn>), typeof(Span<TOut>)]);
                _byChunk = method is not null && method.DeclaringType != typeof(MapKernel<TIn, TOut>) ? 1 : 2;
            }
            return _byChunk == 1;
        }
    }

    MapJobReply IMapKernel.RunJob(MapJob job, MapWorkerSegments segments) => MapJobRunner.Run(this, job, segments);
}
