using System.IO.MemoryMappedFiles;
using Puma.Buffers.SharedMemory;

namespace Puma.Buffers.Events;

/// <summary>
/// An event's shared segment, mapped in this process: created (<see cref="Create"/>) or opened by name and validated
/// (<see cref="Open"/>), with pointers to the event word and the waiter count.
/// </summary>
internal sealed unsafe class EventMemory : IDisposable
{
    private readonly RingSegment _segment;
    private readonly MemoryMappedViewAccessor _view;
    private readonly bool _isCreator;
    private byte* _base;

    private EventMemory(RingSegment segment, bool isCreator)
    {
        _segment = segment;
        _isCreator = isCreator;
        _view = segment.Map.CreateViewAccessor(0, EventLayout.Length, MemoryMappedFileAccess.ReadWrite);
        byte* pointer = null;
        _view.SafeMemoryMappedViewHandle.AcquirePointer(ref pointer);
        _base = pointer + _view.PointerOffset;
    }

    /// <summary>The segment's name, for <see cref="Open"/> in another process.</summary>
    public string SegmentName => _segment.Name;

    /// <summary>The event word (see <see cref="EventWord"/>).</summary>
    public int* Word => (int*)(_base + EventLayout.WordOffset);

    /// <summary>The count of parked waiters.</summary>
    public int* Waiters => (int*)(_base + EventLayout.WaitersOffset);

    /// <summary>A new segment holding a reset event of generation 0.</summary>
    public static EventMemory Create()
    {
        var segment = RingSegment.Create(EventLayout.Length);
        try
        {
            var memory = new EventMemory(segment, isCreator: true);
            *(int*)(memory._base + EventLayout.VersionOffset) = EventLayout.Version;
            *(int*)(memory._base + EventLayout.KindOffset) = EventLayout.Kind;
            *(int*)(memory._base + EventLayout.CreatorPidOffset) = Environment.ProcessId;
            Volatile.Write(ref *(ulong*)(memory._base + EventLayout.MagicOffset), EventLayout.Magic);
            return memory;
        }
        catch
        {
            segment.Release(isCreator: true);
            throw;
        }
    }

    /// <summary>Opens the segment <paramref name="segmentName"/> of the event <paramref name="eventName"/> and validates its header.</summary>
    /// <exception cref="BufferCorruptedException">The segment is too small or its header is not a Puma event's.</exception>
    /// <exception cref="FileNotFoundException">The segment is gone (its creator exited or disposed the event).</exception>
    public static EventMemory Open(string eventName, string segmentName)
    {
        var segment = RingSegment.Open(segmentName, EventLayout.Length);
        if (segment.Length < EventLayout.Length)
        {
            segment.Release(isCreator: false);
            throw new BufferCorruptedException($"Event '{eventName}': segment '{segmentName}' is {segment.Length} bytes long, smaller than an event's {EventLayout.Length} bytes.");
        }
        var memory = new EventMemory(segment, isCreator: false);
        try
        {
            memory.Validate(eventName);
            return memory;
        }
        catch
        {
            memory.Dispose();
            throw;
        }
    }

    private void Validate(string eventName)
    {
        var magic = Volatile.Read(ref *(ulong*)(_base + EventLayout.MagicOffset));
        if (magic != EventLayout.Magic)
            throw new BufferCorruptedException($"Event '{eventName}': magic 0x{magic:X16} is not the Puma event magic 0x{EventLayout.Magic:X16}.");
        var version = *(int*)(_base + EventLayout.VersionOffset);
        if (version != EventLayout.Version)
            throw new BufferCorruptedException($"Event '{eventName}': layout version {version} is not the supported version {EventLayout.Version}.");
        var kind = *(int*)(_base + EventLayout.KindOffset);
        if (kind != EventLayout.Kind)
            throw new BufferCorruptedException($"Event '{eventName}': object kind {kind} is not an event's ({EventLayout.Kind}).");
        var waiters = Volatile.Read(ref *Waiters);
        if (waiters < 0)
            throw new BufferCorruptedException($"Event '{eventName}': waiter count {waiters} is negative.");
    }

    /// <summary>Writes <paramref name="magic"/> over the header's magic (tests: a corrupt segment).</summary>
    internal void OverwriteMagic(ulong magic) => Volatile.Write(ref *(ulong*)(_base + EventLayout.MagicOffset), magic);

    /// <summary>Unmaps the segment (and deletes its file when this process created a file segment).</summary>
    public void Dispose()
    {
        if (_base == null) return;
        _base = null;
        _view.SafeMemoryMappedViewHandle.ReleasePointer();
        _view.Dispose();
        _segment.Release(_isCreator);
    }
}
