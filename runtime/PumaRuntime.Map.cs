using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Puma.Buffers;
using Puma.Runtime.Map;

namespace Puma.Runtime;

/// <summary>Parallel map (pasha's map): a kernel applied to every element of an input, by serial, thread or process workers.</summary>
public sealed partial class PumaRuntime
{
    private readonly object _mapGate = new();
    private MapWorkerPool? _mapWorkers;

    /// <summary>The process ids of the runtime's live map worker processes (none before the first map in processes).</summary>
    internal IReadOnlyList<int> MapWorkerProcessIds => _mapWorkers?.ProcessIds ?? [];

    /// <summary>
    /// Applies <paramref name="kernel"/> to every element of <paramref name="input"/>, writing element <c>i</c>'s result
    /// to <c>output[i]</c> (flat, row-major indices), in place in shared memory: in
    /// <see cref="MapContext.Processes"/> the workers map both arrays, nothing is copied. <paramref name="output"/> may
    /// be <paramref name="input"/> itself.
    /// </summary>
    /// <typeparam name="TIn">The input element type.</typeparam>
    /// <typeparam name="TOut">The output element type.</typeparam>
    /// <param name="kernel">The kernel; for process workers a public type rebuilt from its public properties.</param>
    /// <param name="input">The input array.</param>
    /// <param name="output">Where the results go; as many elements as <paramref name="input"/> (any shape).</param>
    /// <param name="options">Context, workers and chunk size; <see cref="MapOptions.Threads"/> with one worker per processor when null.</param>
    /// <param name="cancellationToken">Stops every worker at its next chunk; the map then throws <see cref="OperationCanceledException"/>.</param>
    /// <returns>A task that completes when every element is mapped.</returns>
    /// <exception cref="MapFailedException">The kernel threw (the exception names the element's index and the worker), or a worker process died.</exception>
    /// <exception cref="ArgumentException">
    /// The lengths differ, the options are out of range, or the kernel cannot be rebuilt in a worker process (the
    /// message names the property and why).
    /// </exception>
    public Task MapAsync<TIn, TOut>(MapKernel<TIn, TOut> kernel, SharedArray<TIn> input, SharedArray<TOut> output, MapOptions? options = null, CancellationToken cancellationToken = default)
        where TIn : unmanaged
        where TOut : unmanaged
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(output);
        return MapCoreAsync(kernel, OperandOf(input), 0, OperandOf(output), options, cancellationToken);
    }

    /// <summary>
    /// Applies <paramref name="kernel"/> to every index of <paramref name="range"/>, writing index <c>range.Start + i</c>'s
    /// result to <c>output[i]</c> in place in shared memory, in any context.
    /// </summary>
    /// <typeparam name="TOut">The output element type.</typeparam>
    /// <param name="kernel">The kernel; it receives the indices.</param>
    /// <param name="range">The indices.</param>
    /// <param name="output">Where the results go; <paramref name="range"/>.Count elements.</param>
    /// <param name="options">Context, workers and chunk size; <see cref="MapOptions.Threads"/> with one worker per processor when null.</param>
    /// <param name="cancellationToken">Stops every worker at its next chunk; the map then throws <see cref="OperationCanceledException"/>.</param>
    /// <returns>A task that completes when every index is mapped.</returns>
    /// <exception cref="MapFailedException">The kernel threw (the exception names the index and the worker), or a worker process died.</exception>
    /// <exception cref="ArgumentException">The lengths differ, the options are out of range, or the kernel cannot be rebuilt in a worker process.</exception>
    public Task MapAsync<TOut>(MapKernel<long, TOut> kernel, MapRange range, SharedArray<TOut> output, MapOptions? options = null, CancellationToken cancellationToken = default)
        where TOut : unmanaged
    {
        ArgumentNullException.ThrowIfNull(output);
        return MapRangeAsync(kernel, range, OperandOf(output), options, cancellationToken);
    }

    /// <summary>
    /// Applies <paramref name="kernel"/> to every element of <paramref name="input"/>, writing element <c>i</c>'s result
    /// to <c>output[i]</c>, with serial or thread workers (memory of this process cannot reach worker processes: use
    /// shared arrays for <see cref="MapContext.Processes"/>). <paramref name="output"/> may be the same memory as
    /// <paramref name="input"/> (an in-place map).
    /// </summary>
    /// <typeparam name="TIn">The input element type.</typeparam>
    /// <typeparam name="TOut">The output element type.</typeparam>
    /// <param name="kernel">The kernel.</param>
    /// <param name="input">The input elements (an array converts implicitly).</param>
    /// <param name="output">Where the results go; as long as <paramref name="input"/>.</param>
    /// <param name="options">Context, workers and chunk size; <see cref="MapOptions.Threads"/> with one worker per processor when null.</param>
    /// <param name="cancellationToken">Stops every worker at its next chunk; the map then throws <see cref="OperationCanceledException"/>.</param>
    /// <returns>A task that completes when every element is mapped.</returns>
    /// <exception cref="MapFailedException">The kernel threw; the exception names the element's index and the worker.</exception>
    /// <exception cref="ArgumentException">The lengths differ, the options are out of range, or the context is <see cref="MapContext.Processes"/>.</exception>
    public Task MapAsync<TIn, TOut>(MapKernel<TIn, TOut> kernel, ReadOnlyMemory<TIn> input, Memory<TOut> output, MapOptions? options = null, CancellationToken cancellationToken = default)
        where TIn : unmanaged
        where TOut : unmanaged =>
        MapCoreAsync(kernel, new MapOperand<TIn>(MemoryMarshal.AsMemory(input), null, $"memory of {input.Length} {typeof(TIn).Name}"), 0,
            new MapOperand<TOut>(output, null, $"memory of {output.Length} {typeof(TOut).Name}"), options, cancellationToken);

    /// <summary>
    /// Applies <paramref name="kernel"/> to every index of <paramref name="range"/>, writing index <c>range.Start + i</c>'s
    /// result to <c>output[i]</c>, with serial or thread workers (see <see cref="MapAsync{TIn, TOut}(MapKernel{TIn, TOut}, ReadOnlyMemory{TIn}, Memory{TOut}, MapOptions?, CancellationToken)"/>).
    /// </summary>
    /// <typeparam name="TOut">The output element type.</typeparam>
    /// <param name="kernel">The kernel; it receives the indices.</param>
    /// <param name="range">The indices.</param>
    /// <param name="output">Where the results go; <paramref name="range"/>.Count elements long.</param>
    /// <param name="options">Context, workers and chunk size; <see cref="MapOptions.Threads"/> with one worker per processor when null.</param>
    /// <param name="cancellationToken">Stops every worker at its next chunk; the map then throws <see cref="OperationCanceledException"/>.</param>
    /// <returns>A task that completes when every index is mapped.</returns>
    /// <exception cref="MapFailedException">The kernel threw; the exception names the index and the worker.</exception>
    /// <exception cref="ArgumentException">The lengths differ, the options are out of range, or the context is <see cref="MapContext.Processes"/>.</exception>
    public Task MapAsync<TOut>(MapKernel<long, TOut> kernel, MapRange range, Memory<TOut> output, MapOptions? options = null, CancellationToken cancellationToken = default)
        where TOut : unmanaged =>
        MapRangeAsync(kernel, range, new MapOperand<TOut>(output, null, $"memory of {output.Length} {typeof(TOut).Name}"), options, cancellationToken);

    private Task MapRangeAsync<TOut>(MapKernel<long, TOut> kernel, MapRange range, MapOperand<TOut> output, MapOptions? options, CancellationToken cancellationToken)
        where TOut : unmanaged
    {
        if (range.Count < 0)
            throw new ArgumentOutOfRangeException(nameof(range), range.Count, $"MapRange.Count is {range.Count}; it cannot be negative.");
        if (range.Count != output.Length)
            throw new ArgumentException($"The range has {range.Count} indices but the output ({output.Description}) has {output.Length} elements: they must be equal.", nameof(output));
        return MapCoreAsync(kernel, null, range.Start, output, options, cancellationToken);
    }

    private async Task MapCoreAsync<TIn, TOut>(MapKernel<TIn, TOut> kernel, MapOperand<TIn>? input, long rangeStart, MapOperand<TOut> output, MapOptions? options, CancellationToken cancellationToken)
        where TIn : unmanaged
        where TOut : unmanaged
    {
        ArgumentNullException.ThrowIfNull(kernel);
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (input is not null && input.Length != output.Length)
            throw new ArgumentException($"The input ({input.Description}) has {input.Length} elements but the output ({output.Description}) has {output.Length}: they must be equal.", nameof(output));
        var plan = MapPlan.For(options ?? MapOptions.Threads(), output.Length);
        if (plan.Context == MapContext.Processes)
        {
            await ProcessMap.RunAsync(MapWorkers(), kernel, input, rangeStart, output, plan, _options.StopTimeout, cancellationToken).ConfigureAwait(false);
            return;
        }

        var source = input is null
            ? (MapSpanSource<TIn>)(object)new RangeSpanSource(rangeStart, output.Length, plan.Workers)
            : new MemorySpanSource<TIn>(input.Memory);
        await InProcessMap.RunAsync(kernel, source, new MemorySpanSource<TOut>(output.Memory), plan, cancellationToken).ConfigureAwait(false);
    }

    private static MapOperand<T> OperandOf<T>(SharedArray<T> array)
        where T : unmanaged =>
        new(array.Memory, new SharedOperand(array.Name, array.SegmentName, array.Lengths.ToArray(), typeof(T).FullName!, Unsafe.SizeOf<T>()), $"shared array '{array.Name}'");

    /// <summary>The runtime's map worker pool, started on first use and released with the runtime.</summary>
    private MapWorkerPool MapWorkers()
    {
        lock (_mapGate)
            return _mapWorkers ??= Own(new MapWorkerPool(RootLogger, _options.StopTimeout), mapsMemory: false);
    }
}
