using System.Runtime.CompilerServices;

namespace Puma.Buffers.Metrics;

/// <summary>
/// A few 64-bit counters at a fixed address: in a pinned array of this process, or in a shared-memory segment that
/// a child process writes and its supervisor reads. One writer thread adds with plain stores (no interlocked
/// instruction, no allocation); an observer reads them with <see cref="Read"/> at any time.
/// </summary>
internal sealed unsafe class CounterCells
{
    private readonly long* _cells;
    private readonly object _owner;

    private CounterCells(long* cells, int count, object owner)
    {
        _cells = cells;
        Count = count;
        _owner = owner;
    }

    /// <summary>How many counters there are.</summary>
    public int Count { get; }

    /// <summary>The address of counter 0, for the types that add to them.</summary>
    public long* Address => _cells;

    /// <summary>What keeps the memory mapped or pinned (the array, or the segment's owner).</summary>
    public object Owner => _owner;

    /// <summary>
    /// <paramref name="count"/> zeroed counters in a pinned array of this process, alone in their
    /// <see cref="PadBytes"/>-aligned block: no other counters share their cache lines (nor the adjacent-line
    /// prefetch pair), so runnables on different cores counting in their own cells never contend.
    /// </summary>
    public static CounterCells Allocate(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
        const int padLongs = PadBytes / sizeof(long);
        var blockLongs = (count + padLongs - 1) / padLongs * padLongs;
        var array = GC.AllocateArray<long>(blockLongs + padLongs, pinned: true);
        var start = (long*)Unsafe.AsPointer(ref array[0]);
        var aligned = (long*)(((nuint)start + (PadBytes - 1)) & ~(nuint)(PadBytes - 1));
        return new CounterCells(aligned, count, array);
    }

    /// <summary>The block size and alignment of <see cref="Allocate"/>: two cache lines.</summary>
    public const int PadBytes = 128;

    /// <summary><paramref name="count"/> counters at <paramref name="cells"/>, kept valid by <paramref name="owner"/>.</summary>
    public static CounterCells At(long* cells, int count, object owner) => new(cells, count, owner);

    /// <summary>The value of counter <paramref name="index"/> now (an atomic 64-bit read).</summary>
    public long Read(int index) => Volatile.Read(ref _cells[CheckIndex(index)]);

    private int CheckIndex(int index) =>
        (uint)index < (uint)Count ? index : throw new ArgumentOutOfRangeException(nameof(index), index, $"Counter index {index} is outside 0..{Count - 1}.");
}
