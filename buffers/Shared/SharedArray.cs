using System.Buffers;
using System.Runtime.CompilerServices;
using System.Text.Json.Serialization;

namespace Puma.Buffers;

/// <summary>
/// An array of <typeparamref name="T"/> in shared memory, with one or more dimensions (row-major), that runnables in
/// threads and in processes read and write in place: no copy crosses a process boundary. Created by the runtime
/// (<c>runtime.CreateSharedArray&lt;T&gt;(name, lengths)</c>) and freed with it.
/// </summary>
/// <remarks>
/// <para>The memory is always a shared segment (a sealed memfd on Linux, a 0600 file elsewhere), also when every
/// runnable runs in one process: in a process it is ordinary mapped memory, as fast as an array, outside the GC heap,
/// and it can be handed to a process runnable without a copy. The kernel frees it when the last process that maps
/// it exits or unmaps it, so no segment is left behind after a crash.</para>
/// <para>Pass it to a runnable as a property: in a thread the runnable holds this object; in a process it gets a copy
/// that maps the same segment on first use. Writes from either side are seen by the other (use
/// <see cref="Volatile"/> or <see cref="Interlocked"/> through the element references when two sides touch the
/// same element at the same time; ordinary reads and writes are not ordered across processes).</para>
/// <para>At most <see cref="int.MaxValue"/> elements (a <see cref="Span{T}"/>'s limit); the size in bytes may exceed
/// 2 GiB for elements wider than a byte.</para>
/// </remarks>
/// <typeparam name="T">The element type: any unmanaged type.</typeparam>
[JsonConverter(typeof(SharedObjectJsonConverterFactory))]
public sealed unsafe class SharedArray<T> : IDisposable, IAsyncDisposable
    where T : unmanaged
{
    private readonly int[] _lengths;
    private readonly SharedMapping _mapping;
    private SharedArrayMemoryManager<T>? _memory;

    private SharedArray(string name, int[] lengths, int length, SharedMapping mapping)
    {
        Name = name;
        _lengths = lengths;
        Length = length;
        _mapping = mapping;
    }

    /// <summary>The array's name in its runtime.</summary>
    public string Name { get; }

    /// <summary>The number of elements, over all dimensions.</summary>
    public int Length { get; }

    /// <summary>The number of dimensions (1 to 8).</summary>
    public int Rank => _lengths.Length;

    /// <summary>The length of each dimension, the first (slowest-varying) first.</summary>
    public ReadOnlySpan<int> Lengths => _lengths;

    /// <summary>The size of the elements in bytes (<see cref="Length"/> x sizeof(<typeparamref name="T"/>)).</summary>
    public long ByteLength => (long)Length * sizeof(T);

    /// <summary>The name of the shared segment (what a copy in another process maps).</summary>
    internal string SegmentName => _mapping.SegmentName;

    /// <summary>True once this copy has mapped the segment (the creator's at once, a process's copy on first use).</summary>
    internal bool IsMapped => _mapping.IsMapped;

    /// <summary>The elements as a <see cref="Memory{T}"/> (a <see cref="MemoryManager{T}"/> over the mapping).</summary>
    public Memory<T> Memory => (_memory ??= new SharedArrayMemoryManager<T>(this)).CreateMemory();

    /// <summary>The element at <paramref name="index"/>, counted over all dimensions in row-major order (a flat index).</summary>
    /// <param name="index">0 to <see cref="Length"/> - 1.</param>
    /// <exception cref="IndexOutOfRangeException">The index is outside the array; the message names it and the length.</exception>
    public ref T this[int index]
    {
        get
        {
            if ((uint)index >= (uint)Length)
                throw OutOfRange(index, Length, "index");
            return ref Elements[index];
        }
    }

    /// <summary>The element at (<paramref name="index0"/>, <paramref name="index1"/>) of a two-dimensional array.</summary>
    /// <param name="index0">The row: 0 to Lengths[0] - 1.</param>
    /// <param name="index1">The column: 0 to Lengths[1] - 1.</param>
    /// <exception cref="IndexOutOfRangeException">An index is outside its dimension; the message names it and the length.</exception>
    /// <exception cref="InvalidOperationException">The array does not have two dimensions.</exception>
    public ref T this[int index0, int index1]
    {
        get
        {
            RequireRank(2);
            return ref Elements[Offset(0, index0) + Offset(1, index1)];
        }
    }

    /// <summary>The element at (<paramref name="index0"/>, <paramref name="index1"/>, <paramref name="index2"/>) of a three-dimensional array.</summary>
    /// <param name="index0">0 to Lengths[0] - 1.</param>
    /// <param name="index1">0 to Lengths[1] - 1.</param>
    /// <param name="index2">0 to Lengths[2] - 1.</param>
    /// <exception cref="IndexOutOfRangeException">An index is outside its dimension; the message names it and the length.</exception>
    /// <exception cref="InvalidOperationException">The array does not have three dimensions.</exception>
    public ref T this[int index0, int index1, int index2]
    {
        get
        {
            RequireRank(3);
            return ref Elements[Offset(0, index0) + Offset(1, index1) + Offset(2, index2)];
        }
    }

    /// <summary>The element at <paramref name="indices"/>, one index per dimension.</summary>
    /// <param name="indices">As many indices as the array has dimensions.</param>
    /// <returns>A reference to the element.</returns>
    /// <exception cref="IndexOutOfRangeException">An index is outside its dimension; the message names it and the length.</exception>
    /// <exception cref="ArgumentException">The number of indices is not the array's rank.</exception>
    public ref T At(params ReadOnlySpan<int> indices)
    {
        if (indices.Length != Rank)
            throw new ArgumentException($"Shared array '{Name}' has {Rank} dimension(s), not {indices.Length}.", nameof(indices));
        var flat = 0;
        for (var d = 0; d < indices.Length; d++)
            flat += Offset(d, indices[d]);
        return ref Elements[flat];
    }

    /// <summary>Every element, in row-major order.</summary>
    /// <exception cref="ObjectDisposedException">The array (or its runtime) was disposed.</exception>
    public Span<T> AsSpan() => new(_mapping.Pointer + SharedArrayLayout.DataOffset, Length);

    /// <summary>The <paramref name="length"/> elements from flat index <paramref name="start"/>.</summary>
    /// <param name="start">The first element's flat index.</param>
    /// <param name="length">How many elements.</param>
    /// <exception cref="ArgumentOutOfRangeException">The range is not inside the array; the message names it and the length.</exception>
    public Span<T> AsSpan(int start, int length)
    {
        if ((ulong)(uint)start + (uint)length > (uint)Length)
            throw new ArgumentOutOfRangeException(nameof(start), $"Shared array '{Name}': elements {start}..{(long)start + length} (start {start}, length {length}) are not inside its {Length} elements.");
        return new(_mapping.Pointer + SharedArrayLayout.DataOffset + ((long)start * sizeof(T)), length);
    }

    /// <summary>The elements whose first index is <paramref name="index0"/>: a row of a two-dimensional array, a plane of a three-dimensional one.</summary>
    /// <param name="index0">0 to Lengths[0] - 1.</param>
    /// <exception cref="IndexOutOfRangeException">The index is outside the first dimension.</exception>
    public Span<T> Row(int index0)
    {
        var stride = Length == 0 ? 0 : Length / _lengths[0];
        return AsSpan(Offset(0, index0), stride);
    }

    /// <summary>The length of dimension <paramref name="dimension"/>.</summary>
    /// <param name="dimension">0 to <see cref="Rank"/> - 1.</param>
    /// <exception cref="ArgumentOutOfRangeException">There is no such dimension.</exception>
    public int GetLength(int dimension) =>
        (uint)dimension < (uint)Rank
            ? _lengths[dimension]
            : throw new ArgumentOutOfRangeException(nameof(dimension), dimension, $"Shared array '{Name}' has dimensions 0..{Rank - 1}.");

    /// <summary>
    /// Unmaps the array in this process; the creator's disposal (done by the runtime) also lets the kernel free the
    /// memory once no process maps it. Spans taken before must not be used afterwards.
    /// </summary>
    public void Dispose() => _mapping.Dispose();

    /// <summary>Same as <see cref="Dispose"/>.</summary>
    /// <returns>A completed task.</returns>
    public ValueTask DisposeAsync()
    {
        Dispose();
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public override string ToString() => $"SharedArray<{typeof(T).Name}> '{Name}' [{string.Join(", ", _lengths)}]";

    /// <summary>A new array of <paramref name="lengths"/> in a new segment, zeroed.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The shape is not 1 to 8 non-negative lengths of at most int.MaxValue elements in all.</exception>
    internal static SharedArray<T> Create(string name, ReadOnlySpan<int> lengths)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        var label = $"Shared array '{name}'";
        var count = SharedArrayLayout.ElementCount(lengths, label);
        var shape = lengths.ToArray();
        var mapping = SharedMapping.Create(SharedArrayLayout.SegmentLength(count, sizeof(T)), label,
            address => SharedArrayLayout.Initialize((byte*)address, sizeof(T), shape));
        return new SharedArray<T>(name, shape, count, mapping);
    }

    /// <summary>A copy of an array created elsewhere (another process), which maps segment <paramref name="segmentName"/> on first use.</summary>
    internal static SharedArray<T> Attaching(string name, string segmentName, ReadOnlySpan<int> lengths)
    {
        var label = $"Shared array '{name}'";
        var count = SharedArrayLayout.ElementCount(lengths, label);
        var shape = lengths.ToArray();
        var mapping = SharedMapping.Attaching(segmentName, label,
            (address, length) => SharedArrayLayout.Validate((byte*)address, length, sizeof(T), shape, label));
        return new SharedArray<T>(name, shape, count, mapping);
    }

    /// <summary>The first element (maps the segment first in a copy not used yet).</summary>
    internal T* Address => Elements;

    private T* Elements
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => (T*)(_mapping.Pointer + SharedArrayLayout.DataOffset);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private int Offset(int dimension, int index)
    {
        var length = _lengths[dimension];
        if ((uint)index >= (uint)length)
            throw OutOfRange(index, length, $"index of dimension {dimension}");
        var stride = 1;
        for (var d = dimension + 1; d < _lengths.Length; d++)
            stride *= _lengths[d];
        return index * stride;
    }

    private void RequireRank(int rank)
    {
        if (Rank != rank)
            throw new InvalidOperationException($"Shared array '{Name}' has {Rank} dimension(s): index it with {Rank} index(es), or with one flat index.");
    }

    private IndexOutOfRangeException OutOfRange(long index, int length, string what) =>
        new($"Shared array '{Name}': {what} {index} is outside 0..{length - 1} (length {length}).");
}
