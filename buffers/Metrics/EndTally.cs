using System.Runtime.CompilerServices;

namespace Puma.Buffers.Metrics;

/// <summary>
/// Where an end adds what goes through it: the address of its <see cref="EndCounters"/> cells, held by value in the
/// end itself, so counting an item is one plain add through a field already in cache (atomic only for an end that
/// several runnables of a process use at once). The default tally counts nothing.
/// </summary>
internal readonly unsafe struct EndTally
{
    private readonly long* _cells;
    private readonly bool _atomic;

    private EndTally(EndCounters counters)
    {
        _cells = counters.Cells.Address;
        _atomic = counters.Shared;
    }

    /// <summary>The tally of <paramref name="counters"/>; null: a tally that counts nothing.</summary>
    public static EndTally Of(EndCounters? counters) => counters is null ? default : new EndTally(counters);

    /// <summary>Counts one item (its bytes are derived from the item count: a fixed size per item).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void AddItem()
    {
        var cells = _cells;
        if (cells == null)
            return;
        if (_atomic)
            Interlocked.Increment(ref cells[EndCounters.ItemsCell]);
        else
            cells[EndCounters.ItemsCell]++;
    }

    /// <summary>Counts one item of <paramref name="bytes"/> bytes (both cells are on the same cache line).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void AddItem(long bytes)
    {
        var cells = _cells;
        if (cells == null)
            return;
        if (_atomic)
        {
            Interlocked.Increment(ref cells[EndCounters.ItemsCell]);
            Interlocked.Add(ref cells[EndCounters.BytesCell], bytes);
            return;
        }
        cells[EndCounters.ItemsCell]++;
        cells[EndCounters.BytesCell] += bytes;
    }

    /// <summary>Counts one wait for room.</summary>
    public void AddWait()
    {
        var cells = _cells;
        if (cells == null)
            return;
        if (_atomic)
            Interlocked.Increment(ref cells[EndCounters.WaitsCell]);
        else
            cells[EndCounters.WaitsCell]++;
    }
}
