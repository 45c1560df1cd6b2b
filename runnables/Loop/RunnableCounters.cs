using System.Diagnostics;
using Puma.Buffers.Metrics;

namespace Puma.Runnables.Loop;

/// <summary>
/// What a runnable's loop did, for the runtime's metrics: the items its input handlers took, and the time it was
/// busy serving its handlers (from waking up to going idle again, awaits inside handlers included). Only the loop
/// writes them, with plain stores: one add per input batch, and a timestamp each time it goes idle or wakes, never
/// per item. The busy cells change under a sequence number (odd while they change), so a reader never sees a spell
/// counted twice; a child that died busy has its spell closed by its supervisor (<see cref="CloseAfterExit"/>). They live in this process's memory or in a child's metrics segment that the supervisor reads; runs of
/// the same runnable (restarts) add to the same counters.
/// </summary>
internal sealed unsafe class RunnableCounters
{
    /// <summary>Cells: items in, busy time so far, when the current busy spell began (0 while idle), in <see cref="Stopwatch"/> ticks, and the busy cells' sequence number.</summary>
    public const int CellCount = 4;

    private const int ItemsInCell = 0;
    private const int BusyTicksCell = 1;
    private const int BusySinceCell = 2;
    private const int SequenceCell = 3;

    /// <summary>How many times a reader retries while the loop changes the busy cells before it takes what it read.</summary>
    private const int ReadAttempts = 1000;

    private readonly long* _cells;

    /// <summary>Counters in this process's memory.</summary>
    public RunnableCounters()
        : this(CounterCells.Allocate(CellCount))
    {
    }

    /// <summary>Counters in <paramref name="cells"/> (at least <see cref="CellCount"/>).</summary>
    public RunnableCounters(CounterCells cells)
    {
        ArgumentNullException.ThrowIfNull(cells);
        if (cells.Count < CellCount)
            throw new ArgumentOutOfRangeException(nameof(cells), cells.Count, $"A runnable's counters need {CellCount} cells, got {cells.Count}.");
        Cells = cells;
        _cells = cells.Address;
    }

    /// <summary>The memory they live in.</summary>
    public CounterCells Cells { get; }

    /// <summary>Items the input handlers took.</summary>
    public long ItemsIn => Cells.Read(ItemsInCell);

    /// <summary>
    /// Time the loop was busy, up to now: the finished busy spells and the current one, read under the sequence
    /// number (never a spell counted twice, never less than an earlier read).
    /// </summary>
    public TimeSpan BusyTime
    {
        get
        {
            var spin = new SpinWait();
            long since, total;
            for (var attempt = 0; ; attempt++)
            {
                var before = Volatile.Read(ref _cells[SequenceCell]);
                since = Volatile.Read(ref _cells[BusySinceCell]);
                total = Volatile.Read(ref _cells[BusyTicksCell]);
                if (((before & 1) == 0 && Volatile.Read(ref _cells[SequenceCell]) == before) || attempt >= ReadAttempts)
                    break;
                spin.SpinOnce();
            }
            var now = Stopwatch.GetTimestamp();
            return Stopwatch.GetElapsedTime(0, total + (since != 0 ? Math.Max(0, now - since) : 0));
        }
    }

    /// <summary>Adds <paramref name="items"/> input items.</summary>
    public void AddItemsIn(long items) => _cells[ItemsInCell] += items;

    /// <summary>The loop starts or wakes up: a busy spell begins.</summary>
    public void Busy()
    {
        var sequence = BeginChange();
        Volatile.Write(ref _cells[BusySinceCell], Stopwatch.GetTimestamp());
        EndChange(sequence);
    }

    /// <summary>The loop waits for work or ends: the busy spell ends and is added to the total.</summary>
    public void Idle()
    {
        var since = _cells[BusySinceCell];
        if (since == 0)
            return;
        var sequence = BeginChange();
        Volatile.Write(ref _cells[BusyTicksCell], _cells[BusyTicksCell] + (Stopwatch.GetTimestamp() - since));
        Volatile.Write(ref _cells[BusySinceCell], 0);
        EndChange(sequence);
    }

    /// <summary>
    /// The supervisor's close of a child's counters once the child has exited: a spell it died in ends now (it would
    /// otherwise go on growing, then vanish when the next child starts one), and a change it died in is completed.
    /// Only when no process writes them any more.
    /// </summary>
    public void CloseAfterExit()
    {
        var sequence = Volatile.Read(ref _cells[SequenceCell]);
        if ((sequence & 1) != 0)
            Volatile.Write(ref _cells[SequenceCell], sequence + 1); // died inside a change: each cell is one store, and a spell it may have added already is added again (a counter may overcount, never drop)
        Idle();
    }

    // Odd while the busy cells change; the full fence orders the odd number before the cells' stores.
    private long BeginChange()
    {
        var sequence = _cells[SequenceCell];
        Interlocked.Exchange(ref _cells[SequenceCell], sequence + 1);
        return sequence;
    }

    private void EndChange(long sequence) => Volatile.Write(ref _cells[SequenceCell], sequence + 2);
}
