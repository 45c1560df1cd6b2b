using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Threading.Channels;

namespace Puma.Buffers;

/// <summary>
/// The in-process transport of a buffer: a bounded channel of exactly <c>capacity</c> items, any number of
/// writers and readers, without a lock on its reads and writes. Writers wait while it is full; completion
/// carries the error; continuations never run inside another end's call (the defaults of
/// <see cref="Channel.CreateBounded{T}(int)"/>, which this replaces: its every read and write takes a lock).
/// </summary>
/// <remarks>
/// <para>
/// The queue is crossbeam's bounded array channel (itself after Dmitry Vyukov's bounded MPMC queue): each
/// slot carries a stamp that says whose turn it is. A position is a lap and an index; the writers' position
/// (the tail) and the readers' (the head) each advance by one compare-and-swap. A writer at position
/// <c>p</c> may fill a slot whose stamp is <c>p</c>, and stamps it <c>p + 1</c>; a reader at <c>p</c> may take a
/// slot whose stamp is <c>p + 1</c>, and stamps it <c>p</c> plus one lap, the position the next lap's writer
/// will hold. Laps are a power of two above the capacity, so any capacity works without a division.
/// </para>
/// <para>
/// Completion is a mark bit on the tail, set by one atomic OR: a writer's CAS can no longer succeed once it is
/// set, so the items written are exactly those below the marked tail, and <see cref="ChannelReader{T}.Completion"/>
/// completes when the head reaches it. <c>TryWrite</c> true means the item will be read.
/// </para>
/// <para>
/// Waits: an end that finds nothing to do queues a waiter in <see cref="ChannelWaiterQueue"/> (a full fence) and looks
/// again at the other side's position; the other side moves its position by CAS (a full fence), stamps its slot
/// with a plain release store and then reads whether anyone waits. So either the waiter's second look sees the
/// position moved, or the other side sees the waiter. A waiter that sees the position moved but the slot not yet
/// stamped waits for the stamp (spinning, then yielding) instead of sleeping: that end may not have seen it. The
/// stamp costs no fence of its own, so a write or a read is one CAS.
/// </para>
/// <para>
/// What a user of <see cref="Channel.CreateBounded{T}(int)"/> may notice: an end between its CAS and its stamp (a
/// thread preempted there) holds up the ends behind it for that moment, so <c>TryRead</c> may find nothing while
/// <c>Count</c> is not 0 and <c>TryWrite</c> may find no room while a read is finishing (each spins briefly first,
/// and a wait after a false waits that end out). Those waits spin and yield (never sleep), without looking at the
/// cancellation token: they last as long as that end takes for two stores, longer only when it is preempted. A blocked <c>WriteAsync</c> is not handed its slot
/// inside the reader's <c>TryRead</c>: it is woken and writes on its own, and another writer may take the slot first.
/// </para>
/// </remarks>
internal sealed partial class LockFreeChannel<T> : Channel<T>
{
    private readonly Slot[] _slots;
    private readonly int _capacity;
    private readonly long _markBit;
    private readonly long _oneLap;
    private ChannelPositions _positions;
    private readonly ChannelWaiterQueue _readerWaits = new();
    private readonly ChannelWaiterQueue _writerWaits = new();
    private readonly TaskCompletionSource _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Exception? _completionError;
    private int _closed; // 1 once the tail is marked: readers look here, not at the tail's line, which every write takes

    /// <summary>
    /// The largest capacity a buffer opens this channel with (65,536 items): its slots are allocated when it is
    /// created (item size + 8 bytes each: 4.5 MiB for 64-byte items at this capacity); a larger in-process buffer gets
    /// <see cref="Channel.CreateBounded{T}(int)"/>, whose queue grows as items arrive.
    /// </summary>
    public const int LargestCapacity = 1 << 16;

    /// <param name="capacity">The most items the channel holds (1 or more).</param>
    public LockFreeChannel(int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        _capacity = capacity;
        _markBit = (long)BitOperations.RoundUpToPowerOf2((ulong)capacity + 1);
        _oneLap = _markBit * 2;
        _slots = new Slot[capacity];
        for (var i = 0; i < capacity; i++)
            _slots[i].Stamp = i;
        Reader = new LockFreeReader(this);
        Writer = new LockFreeWriter(this);
    }

    /// <summary>The most items the channel holds.</summary>
    public int Capacity => _capacity;

    /// <summary>Items written and not yet read (a snapshot: other ends move on).</summary>
    public int Count
    {
        get
        {
            while (true)
            {
                var tail = Volatile.Read(ref _positions.Tail);
                var head = Volatile.Read(ref _positions.Head);
                if (Volatile.Read(ref _positions.Tail) != tail)
                    continue; // a consistent pair: the tail did not move while the head was read
                var headIndex = head & (_markBit - 1);
                var tailIndex = tail & (_markBit - 1);
                if (headIndex < tailIndex)
                    return (int)(tailIndex - headIndex);
                if (headIndex > tailIndex)
                    return (int)(_capacity - headIndex + tailIndex);
                return (tail & ~_markBit) == head ? 0 : _capacity;
            }
        }
    }

    /// <summary>What a look at one end finds.</summary>
    private enum Look
    {
        /// <summary>Nothing to do now: a wait is in order.</summary>
        No,

        /// <summary>An item to read (or room to write) now.</summary>
        Yes,

        /// <summary>The channel is completed (and, for readers, drained).</summary>
        Closed,
    }

    /// <summary>
    /// A reader's wait for an item (<paramref name="forReaders"/>) or a writer's for room: true when there is some now
    /// (or may be: look again), false when the channel is completed (and, for readers, drained), or the completion error.
    /// </summary>
    private ValueTask<bool> WaitAsync(bool forReaders, CancellationToken cancellationToken)
    {
        if (cancellationToken.IsCancellationRequested)
            return ValueTask.FromCanceled<bool>(cancellationToken);
        var look = forReaders ? ItemOrClosed(waitOutWriter: false) : RoomOrClosed(waitOutReader: false);
        if (look != Look.No)
            return look == Look.Yes ? new ValueTask<bool>(true) : ClosedWait();
        var waits = forReaders ? _readerWaits : _writerWaits;
        var waiter = waits.Add(cancellationToken);
        // The second look: the other side's end that moved before the waiter was queued did not see it.
        look = forReaders ? ItemOrClosed(waitOutWriter: true) : RoomOrClosed(waitOutReader: true);
        if (look == Look.Yes)
            waits.WakeAll(true);
        else if (look == Look.Closed)
            WakeClosed(waits);
        return waiter.Task;
    }

    /// <summary>The slot of <paramref name="position"/>.</summary>
    /// <remarks>
    /// Without the array's bounds check: the index is below the capacity by construction (<see cref="NextPosition"/>
    /// wraps there), and the check's load of the array's length reads the line of the first slots, which the other
    /// side keeps writing (a cache miss per item in a profile of two threads taking turns).
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private ref Slot SlotAt(long position) =>
        ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_slots), (nint)(position & (_markBit - 1)));

    private long NextPosition(long position)
    {
        var index = position & (_markBit - 1);
        return index + 1 < _capacity ? position + 1 : (position & ~(_oneLap - 1)) + _oneLap;
    }

    /// <summary>One item's place: the item and the stamp that says whose turn it is.</summary>
    private struct Slot
    {
        public long Stamp;
        public T Item;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void Pause(ref SpinWait spin) => spin.SpinOnce(sleep1Threshold: -1);
}
