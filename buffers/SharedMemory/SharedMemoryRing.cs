using System.IO.MemoryMappedFiles;
using System.Runtime.CompilerServices;
using Puma.Buffers.Codecs;

namespace Puma.Buffers.SharedMemory;

/// <summary>
/// A bounded ring of variable-length messages in a shared-memory segment (a sealed memfd on Linux,
/// else a 0600 file), usable from several processes at once. One process creates it with
/// <see cref="Create"/> and others open it by <see cref="Name"/> with <see cref="Attach"/>; each
/// then opens raw ends (<see cref="OpenWriter"/>, <see cref="OpenReader"/>) for the zero-copy path
/// or channel ends (<see cref="CreateWriter{T}"/>, <see cref="CreateReader{T}"/>).
/// </summary>
/// <remarks>
/// Each end is used by one thread at a time; open one end per concurrent writer or reader.
/// Dispose the ring after its ends are no longer in use; disposing it disposes the ends it opened.
/// </remarks>
public sealed unsafe partial class SharedMemoryRing : IDisposable
{
    private const string NamePrefix = "puma-";

    private readonly MemoryMappedFile _map;
    private readonly MemoryMappedViewAccessor _view;
    private readonly List<IDisposable> _ends = [];
    private byte* _base;
    private int _disposed;
    private int _keepMapped;
    private RemoteBufferException? _remoteError;

    private SharedMemoryRing(RingSegment segment, MemoryMappedViewAccessor view, bool isCreator)
    {
        Name = segment.Name;
        FilePath = segment.Path;
        IsSealed = segment.IsSealed;
        _map = segment.Map;
        _view = view;
        IsCreator = isCreator;
        byte* pointer = null;
        view.SafeMemoryMappedViewHandle.AcquirePointer(ref pointer);
        _base = pointer + view.PointerOffset;
    }

    /// <summary>
    /// Name of the segment; pass it to <see cref="Attach"/> in another process. A sealed segment's
    /// name is <c>puma-HEX@PID.FD</c> (the creator's pid and descriptor); a file segment's is its file name.
    /// </summary>
    public string Name { get; }

    /// <summary>The name of the Puma buffer this ring carries, when it carries one: errors name the buffer, not the segment.</summary>
    internal string? BufferName { get; set; }

    /// <summary>How errors name this ring: the buffer it carries, else the segment.</summary>
    internal string Label => BufferName is { } buffer ? $"Buffer '{buffer}'" : $"Ring '{Name}'";

    /// <summary>
    /// A path that opens the segment: <c>/proc/PID/fd/FD</c> for a sealed segment (valid while the
    /// creator holds the ring), the file under /dev/shm (or the temp directory) otherwise.
    /// </summary>
    public string FilePath { get; }

    /// <summary>
    /// True when the segment is a sealed Linux memfd: no process can shrink or grow it, and it ceases
    /// to exist when the last process holding it exits. False for a file segment (explicit
    /// <see cref="SharedMemoryRingOptions.Name"/>, not Linux, or memfd unavailable).
    /// </summary>
    public bool IsSealed { get; }

    /// <summary>True in the process that created the segment (and, for a file segment, unlinks it on dispose).</summary>
    public bool IsCreator { get; }

    /// <summary>Size of the data area in bytes.</summary>
    public long CapacityBytes { get; private set; }

    /// <summary>How items are delivered to readers.</summary>
    public BufferMode Mode { get; private set; }

    /// <summary>Number of reader slots.</summary>
    public int Readers { get; private set; }

    /// <summary>Number of writer references the ring was created with.</summary>
    public int Writers { get; private set; }

    /// <summary>Pid of the creating process.</summary>
    public int CreatorProcessId { get; private set; }

    /// <summary>Largest message payload in bytes: half the capacity minus the 16-byte record header.</summary>
    public int MaxMessageBytes { get; private set; }

    /// <summary>True once the ring is completed (every writer reference released, or TryComplete).</summary>
    public bool IsCompleted => State >= RingState.Completed;

    internal byte* Base => _base;
    internal byte* Data { get; private set; }
    internal long Capacity => CapacityBytes;
    internal long CapacityMask { get; private set; }
    internal long* ReserveCursor => (long*)(_base + RingLayout.ReserveCursorOffset);
    internal long* ClaimCursor => (long*)(_base + RingLayout.ClaimCursorOffset);
    internal long* ReleaseCursor => (long*)(_base + RingLayout.ReleaseCursorOffset);
    internal int* StateWord => (int*)(_base + RingLayout.StateOffset);
    internal int* WritersRemaining => (int*)(_base + RingLayout.WritersRemainingOffset);
    internal int* WritersTaken => (int*)(_base + RingLayout.WritersClaimedOffset);
    internal int* WriterTable => (int*)(_base + RingLayout.WriterTableOffset);
    internal int* DataSequence => (int*)(_base + RingLayout.DataSignalOffset);
    internal int* DataWaiters => (int*)(_base + RingLayout.DataSignalOffset + 4);
    internal int* DataParks => (int*)(_base + RingLayout.DataSignalOffset + 8);
    internal int* SpaceSequence => (int*)(_base + RingLayout.SpaceSignalOffset);
    internal int* SpaceWaiters => (int*)(_base + RingLayout.SpaceSignalOffset + 4);
    internal int* SpaceParks => (int*)(_base + RingLayout.SpaceSignalOffset + 8);

    /// <summary>True when a writer is parked waiting for space (a plain read: a hint, not a fence).</summary>
    internal bool HasSpaceWaiters => Volatile.Read(ref *SpaceWaiters) != 0;

    /// <summary>True when a reader is parked waiting for data (a plain read: a hint, not a fence).</summary>
    internal bool HasDataWaiters => Volatile.Read(ref *DataWaiters) != 0;
    internal int State => Volatile.Read(ref *StateWord);
    internal bool IsDisposed => Volatile.Read(ref _disposed) != 0;
    internal bool IsUnmapped => _base == null;

    internal long* SlotCursor(int slot) => (long*)(_base + RingLayout.SlotOffset(slot) + RingLayout.SlotCursorOffset);
    internal long* SlotClaimed(int slot) => (long*)(_base + RingLayout.SlotOffset(slot) + RingLayout.SlotClaimedOffset);
    internal int* SlotPid(int slot) => (int*)(_base + RingLayout.SlotOffset(slot) + RingLayout.SlotPidOffset);
    internal int* SlotParked(int slot) => (int*)(_base + RingLayout.SlotOffset(slot) + RingLayout.SlotParkedOffset);
    internal int* SlotStateWord(int slot) => (int*)(_base + RingLayout.SlotOffset(slot) + RingLayout.SlotStateOffset);

    /// <summary>Offset in the data area of an absolute position.</summary>
    /// <remarks>
    /// Always inside the data area, even for a corrupt (negative) position read from shared memory.
    /// The common power-of-two capacity is a mask, inlined into every claim, commit and acquire; the division for any
    /// other capacity stays out of line (with it in the body the method was too big to inline: a call per record).
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal long Offset(long position) => CapacityMask != 0 ? position & CapacityMask : OffsetByDivision(position);

    [MethodImpl(MethodImplOptions.NoInlining)]
    private long OffsetByDivision(long position) => (long)((ulong)position % (ulong)CapacityBytes);

    /// <summary>
    /// Creates a new segment: on Linux a sealed memfd named <c>puma-</c> plus 128 random bits in hex,
    /// unless <see cref="SharedMemoryRingOptions.Name"/> asks for a file of that name; elsewhere (or
    /// when memfd is unavailable) a 0600 file, after removing stale files of dead creators.
    /// </summary>
    /// <param name="options">Capacity, mode, reader slots and writer references.</param>
    /// <exception cref="ArgumentOutOfRangeException">An option is outside its range; the message names the value and the limit.</exception>
    public static SharedMemoryRing Create(SharedMemoryRingOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        ValidateOptions(options);
        var dataOffset = RingLayout.DataOffset(options.Readers);
        var total = dataOffset + options.CapacityBytes;
        var segment = options.Name is null ? SealedSegment.TryCreate(total) : null;
        if (segment is null)
        {
            RemoveStale();
            segment = FileSegment.Create(options.Name ?? RingSegment.NewName(), total);
        }
        try
        {
            var view = segment.Map.CreateViewAccessor(0, total, MemoryMappedFileAccess.ReadWrite);
            var ring = new SharedMemoryRing(segment, view, isCreator: true);
            ring.InitializeHeader(options, dataOffset);
            ring.LoadHeader(total);
            return ring;
        }
        catch
        {
            segment.Release(isCreator: true);
            throw;
        }
    }

    /// <summary>
    /// Opens an existing segment by name (typically in another process) and validates it: a sealed
    /// segment must be the ring's memfd with its seals; every segment needs a valid header.
    /// </summary>
    /// <param name="name">The <see cref="Name"/> of a ring created elsewhere.</param>
    /// <exception cref="ArgumentException">The name is neither a sealed segment name nor a valid file name.</exception>
    /// <exception cref="FileNotFoundException">No segment has that name (for a sealed one: its creator exited or disposed it).</exception>
    /// <exception cref="BufferCorruptedException">The segment is not sealed as a ring's must be, or its header is not a valid Puma ring header.</exception>
    public static SharedMemoryRing Attach(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var smallest = RingLayout.DataOffset(1) + RingLayout.MinCapacityBytes;
        var segment = RingSegment.Open(name, smallest);
        SharedMemoryRing? ring = null;
        try
        {
            if (segment.Length < smallest)
                throw new BufferCorruptedException($"Segment '{name}' is {segment.Length} bytes long, smaller than the smallest ring ({smallest} bytes).");
            var view = segment.Map.CreateViewAccessor(0, segment.Length, MemoryMappedFileAccess.ReadWrite);
            ring = new SharedMemoryRing(segment, view, isCreator: false);
            ring.LoadHeader(segment.Length);
            return ring;
        }
        catch
        {
            if (ring is not null) ring.Dispose();
            else segment.Map.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Opens a raw writer end for the zero-copy path; it takes one writer reference, released by
    /// <see cref="RingWriter.ReleaseWriter"/> or disposal.
    /// </summary>
    /// <exception cref="InvalidOperationException">Every writer reference has already been taken.</exception>
    public RingWriter OpenWriter()
    {
        ThrowIfDisposed();
        var writer = new RingWriter(this);
        Track(writer);
        return writer;
    }

    /// <summary>Opens the raw reader end of a reader slot (0 for many-to-one; one slot per broadcast or competing reader).</summary>
    /// <param name="slot">Reader slot index, from 0 to <see cref="Readers"/> - 1; each slot can be opened once.</param>
    /// <exception cref="ArgumentOutOfRangeException">The slot is outside the ring's slots.</exception>
    /// <exception cref="InvalidOperationException">The slot was already opened.</exception>
    public RingReader OpenReader(int slot = 0)
    {
        ThrowIfDisposed();
        var reader = new RingReader(this, slot);
        Track(reader);
        return reader;
    }

    /// <summary>
    /// Creates a channel writer end: it takes one writer reference (released by
    /// <see cref="SharedMemoryChannelWriter{T}.ReleaseWriter"/>), encoding items with
    /// <paramref name="codec"/> or the one <see cref="CodecResolver"/> picks for <typeparamref name="T"/>.
    /// </summary>
    public SharedMemoryChannelWriter<T> CreateWriter<T>(IBufferCodec<T>? codec = null)
    {
        ThrowIfDisposed();
        var writer = new SharedMemoryChannelWriter<T>(new RingWriter(this), codec ?? CodecResolver.Resolve<T>());
        Track(writer);
        return writer;
    }

    /// <summary>Creates a channel reader end on a reader slot, decoding items with <paramref name="codec"/> or the resolved codec.</summary>
    /// <param name="slot">Reader slot index (see <see cref="OpenReader"/>).</param>
    /// <param name="codec">Codec for <typeparamref name="T"/>; null picks one with <see cref="CodecResolver"/>.</param>
    public SharedMemoryChannelReader<T> CreateReader<T>(int slot = 0, IBufferCodec<T>? codec = null)
    {
        ThrowIfDisposed();
        var reader = new SharedMemoryChannelReader<T>(new RingReader(this, slot), codec ?? CodecResolver.Resolve<T>());
        Track(reader);
        return reader;
    }

    /// <summary>
    /// Disposes the ends opened through this ring and unmaps the segment; in the creator, closes the
    /// sealed memfd's descriptor (the memory goes with its last holder) or deletes the segment file.
    /// </summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        IDisposable[] ends;
        lock (_ends) ends = [.. _ends];
        foreach (var end in ends)
        {
            try
            {
                end.Dispose();
            }
            catch (ObjectDisposedException)
            {
            }
        }
        if (IsCreator && !IsSealed) FileSegment.TryDelete(FilePath);
        if (Volatile.Read(ref _keepMapped) != 0) return; // a waiter thread may still touch the mapping: leak it rather than crash
        if (_base != null)
        {
            _view.SafeMemoryMappedViewHandle.ReleasePointer();
            _base = null;
        }
        _view.Dispose();
        _map.Dispose();
    }

    /// <summary>Called by an end whose waiter thread did not stop: the mapping must outlive it.</summary>
    internal void KeepMapped() => Volatile.Write(ref _keepMapped, 1);

    internal void Untrack(IDisposable end)
    {
        lock (_ends) _ends.Remove(end);
    }

    private void Track(IDisposable end)
    {
        lock (_ends) _ends.Add(end);
    }

    internal void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(IsDisposed, this);
}
