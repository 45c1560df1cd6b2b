using System.IO.MemoryMappedFiles;
using System.Security.Cryptography;
using System.Text;
using Puma.Buffers.Codecs;

namespace Puma.Buffers.SharedMemory;

/// <summary>
/// A bounded ring of variable-length messages in a shared-memory segment (a 0600 file under
/// /dev/shm on Linux), usable from several processes at once. One process creates it with
/// <see cref="Create"/> and others open it by <see cref="Name"/> with <see cref="Attach"/>; each
/// then opens raw ends (<see cref="OpenWriter"/>, <see cref="OpenReader"/>) for the zero-copy path
/// or channel ends (<see cref="CreateWriter{T}"/>, <see cref="CreateReader{T}"/>).
/// </summary>
/// <remarks>
/// Each end is used by one thread at a time; open one end per concurrent writer or reader.
/// Dispose the ring after its ends are no longer in use; disposing it disposes the ends it opened.
/// </remarks>
public sealed unsafe class SharedMemoryRing : IDisposable
{
    private const string NamePrefix = "puma-";
    private static readonly string Directory = OperatingSystem.IsLinux() && System.IO.Directory.Exists("/dev/shm")
        ? "/dev/shm"
        : Path.GetTempPath();

    private readonly MemoryMappedFile _map;
    private readonly MemoryMappedViewAccessor _view;
    private readonly List<IDisposable> _ends = [];
    private byte* _base;
    private int _disposed;
    private int _keepMapped;
    private RemoteBufferException? _remoteError;

    private SharedMemoryRing(string name, string path, MemoryMappedFile map, MemoryMappedViewAccessor view, bool isCreator)
    {
        Name = name;
        FilePath = path;
        _map = map;
        _view = view;
        IsCreator = isCreator;
        byte* pointer = null;
        view.SafeMemoryMappedViewHandle.AcquirePointer(ref pointer);
        _base = pointer + view.PointerOffset;
    }

    /// <summary>Name of the segment; pass it to <see cref="Attach"/> in another process.</summary>
    public string Name { get; }

    /// <summary>The name of the Puma buffer this ring carries, when it carries one: errors name the buffer, not the segment.</summary>
    internal string? BufferName { get; set; }

    /// <summary>How errors name this ring: the buffer it carries, else the segment.</summary>
    internal string Label => BufferName is { } buffer ? $"Buffer '{buffer}'" : $"Ring '{Name}'";

    /// <summary>Full path of the segment's file.</summary>
    public string FilePath { get; }

    /// <summary>True in the process that created the segment (and unlinks it on dispose).</summary>
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
    internal int* DataSequence => (int*)(_base + RingLayout.DataSignalOffset);
    internal int* DataWaiters => (int*)(_base + RingLayout.DataSignalOffset + 4);
    internal int* SpaceSequence => (int*)(_base + RingLayout.SpaceSignalOffset);
    internal int* SpaceWaiters => (int*)(_base + RingLayout.SpaceSignalOffset + 4);

    /// <summary>True when a writer is parked waiting for space (a plain read: a hint, not a fence).</summary>
    internal bool HasSpaceWaiters => Volatile.Read(ref *SpaceWaiters) != 0;
    internal int State => Volatile.Read(ref *StateWord);
    internal bool IsDisposed => Volatile.Read(ref _disposed) != 0;
    internal bool IsUnmapped => _base == null;

    internal long* SlotCursor(int slot) => (long*)(_base + RingLayout.SlotOffset(slot) + RingLayout.SlotCursorOffset);
    internal long* SlotClaimed(int slot) => (long*)(_base + RingLayout.SlotOffset(slot) + RingLayout.SlotClaimedOffset);
    internal int* SlotPid(int slot) => (int*)(_base + RingLayout.SlotOffset(slot) + RingLayout.SlotPidOffset);
    internal int* SlotParked(int slot) => (int*)(_base + RingLayout.SlotOffset(slot) + RingLayout.SlotParkedOffset);
    internal int* SlotStateWord(int slot) => (int*)(_base + RingLayout.SlotOffset(slot) + RingLayout.SlotStateOffset);

    /// <summary>Offset in the data area of an absolute position.</summary>
    /// <remarks>Always inside the data area, even for a corrupt (negative) position read from shared memory.</remarks>
    internal long Offset(long position) => CapacityMask != 0 ? position & CapacityMask : (long)((ulong)position % (ulong)CapacityBytes);

    /// <summary>
    /// Creates a new segment (0600, unguessable name unless one is given), removing stale
    /// segments of dead creators first.
    /// </summary>
    /// <param name="options">Capacity, mode, reader slots and writer references.</param>
    /// <exception cref="ArgumentOutOfRangeException">An option is outside its range; the message names the value and the limit.</exception>
    public static SharedMemoryRing Create(SharedMemoryRingOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        ValidateOptions(options);
        RemoveStale();
        string name = options.Name ?? NamePrefix + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        ValidateName(name);
        string path = Path.Combine(Directory, name);
        int dataOffset = RingLayout.DataOffset(options.Readers);
        long total = dataOffset + options.CapacityBytes;

        var fileOptions = new FileStreamOptions
        {
            Mode = FileMode.CreateNew,
            Access = FileAccess.ReadWrite,
            Share = FileShare.ReadWrite | FileShare.Delete,
        };
        if (!OperatingSystem.IsWindows()) fileOptions.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        FileStream stream = new(path, fileOptions);
        MemoryMappedFile? map = null;
        try
        {
            stream.SetLength(total);
            map = MemoryMappedFile.CreateFromFile(stream, null, total, MemoryMappedFileAccess.ReadWrite, HandleInheritability.None, leaveOpen: false);
            var view = map.CreateViewAccessor(0, total, MemoryMappedFileAccess.ReadWrite);
            var ring = new SharedMemoryRing(name, path, map, view, isCreator: true);
            ring.InitializeHeader(options, dataOffset);
            ring.LoadHeader(total);
            return ring;
        }
        catch
        {
            map?.Dispose();
            stream.Dispose();
            TryDelete(path);
            throw;
        }
    }

    /// <summary>Opens an existing segment by name (typically in another process) and validates its header.</summary>
    /// <param name="name">The <see cref="Name"/> of a ring created elsewhere.</param>
    /// <exception cref="FileNotFoundException">No segment has that name.</exception>
    /// <exception cref="BufferCorruptedException">The header is not a valid Puma ring header.</exception>
    public static SharedMemoryRing Attach(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        ValidateName(name);
        string path = Path.Combine(Directory, name);
        FileStream stream = new(path, FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite | FileShare.Delete);
        MemoryMappedFile? map = null;
        try
        {
            long total = stream.Length;
            if (total < RingLayout.DataOffset(1) + RingLayout.MinCapacityBytes)
                throw new BufferCorruptedException($"Segment '{name}' is {total} bytes long, smaller than the smallest ring ({RingLayout.DataOffset(1) + RingLayout.MinCapacityBytes} bytes).");
            map = MemoryMappedFile.CreateFromFile(stream, null, total, MemoryMappedFileAccess.ReadWrite, HandleInheritability.None, leaveOpen: false);
            var view = map.CreateViewAccessor(0, total, MemoryMappedFileAccess.ReadWrite);
            var ring = new SharedMemoryRing(name, path, map, view, isCreator: false);
            try
            {
                ring.LoadHeader(total);
            }
            catch
            {
                ring.Dispose();
                throw;
            }
            return ring;
        }
        catch
        {
            if (map is null) stream.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Deletes ring segments whose creator process has died. Called by <see cref="Create"/>;
    /// segments that cannot be read, are not Puma rings of this layout version, or whose sizes do
    /// not match their header are left alone.
    /// </summary>
    /// <returns>The number of segments removed.</returns>
    public static int RemoveStale()
    {
        int removed = 0;
        IEnumerable<string> files;
        try
        {
            files = System.IO.Directory.EnumerateFiles(Directory, NamePrefix + "*");
        }
        catch (IOException)
        {
            return 0;
        }
        catch (UnauthorizedAccessException)
        {
            return 0;
        }
        Span<byte> header = stackalloc byte[RingLayout.LineBytes];
        foreach (string file in files)
        {
            try
            {
                int creator;
                using (var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete))
                {
                    if (stream.ReadAtLeast(header, header.Length, throwOnEndOfStream: false) < header.Length) continue;
                    // Only trust the pid of a header that is fully ours (magic, version, sizes), so a
                    // segment in another layout is never mistaken for a stale one.
                    if (BitConverter.ToUInt64(header[RingLayout.MagicOffset..]) != RingLayout.Magic) continue;
                    if (BitConverter.ToInt32(header[RingLayout.VersionOffset..]) != RingLayout.Version) continue;
                    int readers = BitConverter.ToInt32(header[RingLayout.ReaderSlotsOffset..]);
                    if (readers is < 1 or > RingLayout.MaxReaderSlots) continue;
                    int dataOffset = BitConverter.ToInt32(header[RingLayout.DataOffsetOffset..]);
                    if (dataOffset != RingLayout.DataOffset(readers)) continue;
                    if (BitConverter.ToInt64(header[RingLayout.CapacityOffset..]) + dataOffset != stream.Length) continue;
                    creator = BitConverter.ToInt32(header[RingLayout.CreatorPidOffset..]);
                }
                if (!ProcessLiveness.IsAlive(creator) && TryDelete(file)) removed++;
            }
            catch (IOException)
            {
            }
            catch (UnauthorizedAccessException)
            {
            }
        }
        return removed;
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

    /// <summary>Disposes the ends opened through this ring, unmaps the segment and, in the creator, deletes its file.</summary>
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
        if (IsCreator) TryDelete(FilePath);
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

    /// <summary>Wakes readers parked for data, if any is parked. Callers have just published.</summary>
    internal void SignalData()
    {
        Interlocked.MemoryBarrier();
        SignalDataAfterFence();
    }

    /// <summary>As <see cref="SignalData"/>, when the publication itself was a full fence (an interlocked store).</summary>
    internal void SignalDataAfterFence()
    {
        if (Volatile.Read(ref *DataWaiters) != 0)
        {
            Interlocked.Increment(ref *DataSequence);
            Futex.WakeAll(DataSequence);
        }
    }

    /// <summary>Wakes writers parked for space, if any is parked. Callers have just released.</summary>
    internal void SignalSpace()
    {
        Interlocked.MemoryBarrier();
        SignalSpaceAfterFence();
    }

    /// <summary>As <see cref="SignalSpace"/>, when the release itself was a full fence (an interlocked store).</summary>
    internal void SignalSpaceAfterFence()
    {
        if (HasSpaceWaiters)
        {
            Interlocked.Increment(ref *SpaceSequence);
            Futex.WakeAll(SpaceSequence);
        }
    }

    /// <summary>Completes the ring: normally when <paramref name="error"/> is null, else with that error.</summary>
    internal bool TryComplete(Exception? error)
    {
        if (error is null)
        {
            if (Interlocked.CompareExchange(ref *StateWord, RingState.Completed, RingState.Open) != RingState.Open) return false;
        }
        else
        {
            if (Interlocked.CompareExchange(ref *StateWord, RingState.CompletingWithError, RingState.Open) != RingState.Open) return false;
            WriteError(error);
            Volatile.Write(ref *StateWord, RingState.CompletedWithError);
        }
        WakeEveryone();
        return true;
    }

    internal void WakeEveryone()
    {
        Interlocked.Increment(ref *DataSequence);
        Futex.WakeAll(DataSequence);
        Interlocked.Increment(ref *SpaceSequence);
        Futex.WakeAll(SpaceSequence);
    }

    /// <summary>The error the ring was completed with, rebuilt from shared memory (bounds-checked).</summary>
    internal RemoteBufferException ReadError()
    {
        if (_remoteError is not null) return _remoteError;
        byte* area = _base + RingLayout.ErrorAreaOffset;
        int length = *(int*)area;
        int limit = RingLayout.ErrorAreaBytes - 4;
        if ((uint)length > (uint)limit)
            throw new BufferCorruptedException($"Ring '{Name}': error length {length} is outside 0..{limit}.");
        var span = new ReadOnlySpan<byte>(area + 4, length);
        string type = ReadErrorString(ref span, "error type");
        string message = ReadErrorString(ref span, "error message");
        string stack = ReadErrorString(ref span, "error stack trace");
        return _remoteError = new RemoteBufferException(type, message, stack);
    }

    private string ReadErrorString(ref ReadOnlySpan<byte> span, string field)
    {
        if (span.Length < 4) throw new BufferCorruptedException($"Ring '{Name}': {field} length prefix needs 4 bytes, {span.Length} remain.");
        int length = BitConverter.ToInt32(span);
        span = span[4..];
        if ((uint)length > (uint)span.Length)
            throw new BufferCorruptedException($"Ring '{Name}': {field} length {length} is outside 0..{span.Length}.");
        string text = Encoding.UTF8.GetString(span[..length]);
        span = span[length..];
        return text;
    }

    private void WriteError(Exception error)
    {
        string stack = error.StackTrace ?? "";
        if (error.InnerException is not null) stack += Environment.NewLine + " ---> " + error.InnerException;
        var destination = new Span<byte>(_base + RingLayout.ErrorAreaOffset + 4, RingLayout.ErrorAreaBytes - 4);
        int written = 0;
        written += WriteErrorString(destination, written, error.GetType().FullName ?? error.GetType().Name, 512);
        written += WriteErrorString(destination, written, error.Message, 2048);
        written += WriteErrorString(destination, written, stack, destination.Length - written - 4);
        *(int*)(_base + RingLayout.ErrorAreaOffset) = written;
    }

    private static int WriteErrorString(Span<byte> destination, int at, string text, int maxBytes)
    {
        byte[] bytes = Encoding.UTF8.GetBytes(text);
        int length = Math.Max(0, Math.Min(bytes.Length, maxBytes));
        BitConverter.TryWriteBytes(destination[at..], length);
        bytes.AsSpan(0, length).CopyTo(destination[(at + 4)..]);
        return 4 + length;
    }

    /// <summary>
    /// The oldest position still needed by a live reader (pending slots count as live), or -1 when
    /// no reader is pending or attached. Dead readers are skipped once detected.
    /// </summary>
    internal long MinReaderPosition()
    {
        if (Mode == BufferMode.Competing)
        {
            for (int slot = 0; slot < Readers; slot++)
            {
                int state = Volatile.Read(ref *SlotStateWord(slot));
                if (SlotState.IsLive(state)) return Volatile.Read(ref *ReleaseCursor);
            }
            return -1;
        }
        long min = long.MaxValue;
        for (int slot = 0; slot < Readers; slot++)
        {
            int state = Volatile.Read(ref *SlotStateWord(slot));
            if (SlotState.IsLive(state)) min = Math.Min(min, Volatile.Read(ref *SlotCursor(slot)));
        }
        return min == long.MaxValue ? -1 : min;
    }

    /// <summary>
    /// Slow-path check for a blocked writer: marks readers whose process died as dead, frees a
    /// competing record claimed by a dead reader, and throws when no reader is left.
    /// </summary>
    internal void CheckReadersAlive()
    {
        bool anyLive = false;
        for (int slot = 0; slot < Readers; slot++)
        {
            int* stateWord = SlotStateWord(slot);
            int state = Volatile.Read(ref *stateWord);
            if (state == SlotState.Attached && !ProcessLiveness.IsAlive(Volatile.Read(ref *SlotPid(slot))))
            {
                Interlocked.CompareExchange(ref *stateWord, SlotState.Dead, SlotState.Attached);
                state = Volatile.Read(ref *stateWord);
                // A reader killed while parked left its count in the data waiters: take it back,
                // or every later commit would make a wake-up syscall for nobody.
                if (Interlocked.Exchange(ref *SlotParked(slot), 0) == 1) Interlocked.Decrement(ref *DataWaiters);
            }
            if (SlotState.IsLive(state)) anyLive = true;
        }
        if (!anyLive)
        {
            var states = new StringBuilder();
            for (int slot = 0; slot < Readers; slot++)
            {
                if (slot > 0) states.Append(", ");
                states.Append("slot ").Append(slot).Append(": ").Append(SlotState.Name(Volatile.Read(ref *SlotStateWord(slot))))
                    .Append(" (pid ").Append(Volatile.Read(ref *SlotPid(slot))).Append(')');
            }
            throw new PeerProcessDiedException($"Ring '{Name}' has no live reader left to make room ({states}).", Readers == 1 ? Volatile.Read(ref *SlotPid(0)) : 0);
        }
        if (Mode == BufferMode.Competing) ReleaseRecordsOfDeadClaimers();
    }

    private void ReleaseRecordsOfDeadClaimers()
    {
        long release = Volatile.Read(ref *ReleaseCursor);
        if (Volatile.Read(ref *ClaimCursor) <= release) return;
        bool claimedByLive = false, claimedByDead = false;
        for (int slot = 0; slot < Readers; slot++)
        {
            if (Volatile.Read(ref *SlotClaimed(slot)) != release) continue;
            int state = Volatile.Read(ref *SlotStateWord(slot));
            if (state == SlotState.Attached) claimedByLive = true;
            else claimedByDead = true;
        }
        if (claimedByDead && !claimedByLive)
        {
            long offset = Offset(release);
            if (Capacity - offset >= RingLayout.RecordHeaderBytes)
            {
                byte* record = Data + offset;
                if (Volatile.Read(ref *(long*)record) == RingLayout.Tag(release))
                    Interlocked.Or(ref *(int*)(record + RingLayout.RecordKindOffset), RingLayout.FlagReleased);
            }
            AdvanceReleaseCursor();
            SignalSpace();
        }
    }

    /// <summary>Moves the competing readers' release frontier past every released or padding record.</summary>
    internal void AdvanceReleaseCursor()
    {
        while (true)
        {
            long release = Volatile.Read(ref *ReleaseCursor);
            if (release >= Volatile.Read(ref *ClaimCursor)) return;
            long offset = Offset(release);
            long tail = Capacity - offset;
            long next;
            if (tail < RingLayout.RecordHeaderBytes)
            {
                next = release + tail;
            }
            else
            {
                byte* record = Data + offset;
                if (Volatile.Read(ref *(long*)record) != RingLayout.Tag(release)) return;
                int kind = Volatile.Read(ref *(int*)(record + RingLayout.RecordKindOffset));
                if ((kind & RingLayout.KindMask) != RingLayout.KindPadding && (kind & RingLayout.FlagReleased) == 0) return;
                int length = *(int*)(record + RingLayout.RecordLengthOffset);
                if (length < 0 || RingLayout.RecordBytes(length) > tail) return;
                next = release + RingLayout.RecordBytes(length);
            }
            Interlocked.CompareExchange(ref *ReleaseCursor, next, release);
        }
    }

    /// <summary>
    /// Slow-path check for a parked reader: throws when a process that still holds writer
    /// references has died, since the ring can then never complete normally.
    /// </summary>
    internal void CheckWritersAlive()
    {
        int* table = (int*)(_base + RingLayout.WriterTableOffset);
        for (int i = 0; i < RingLayout.WriterTableEntries; i++)
        {
            int pid = Volatile.Read(ref table[2 * i]);
            int references = Volatile.Read(ref table[2 * i + 1]);
            if (pid != 0 && references > 0 && !ProcessLiveness.IsAlive(pid))
                throw new PeerProcessDiedException($"Writer process {pid} of ring '{Name}' died holding {references} writer reference(s) without completing the ring.", pid);
        }
    }

    /// <summary>A one-line dump of the cursors, state and the record at each reader's position (diagnostics).</summary>
    internal string DescribeState()
    {
        var text = new StringBuilder();
        text.Append($"ring {Name}: state {State}, reserve {Volatile.Read(ref *ReserveCursor)}, claim {Volatile.Read(ref *ClaimCursor)}, release {Volatile.Read(ref *ReleaseCursor)}");
        text.Append($", data waiters {Volatile.Read(ref *DataWaiters)}, space waiters {Volatile.Read(ref *SpaceWaiters)}");
        text.Append($", writers remaining {*(int*)(_base + RingLayout.WritersRemainingOffset)}");
        for (int slot = 0; slot < Readers; slot++)
        {
            long cursor = Volatile.Read(ref *SlotCursor(slot));
            byte* record = Data + Offset(cursor);
            text.Append($"; slot {slot} {SlotState.Name(*SlotStateWord(slot))} pid {*SlotPid(slot)} cursor {cursor}");
            if (Capacity - Offset(cursor) >= RingLayout.RecordHeaderBytes)
                text.Append($" record tag {*(long*)record} length {*(int*)(record + 8)} kind 0x{*(int*)(record + 12):X}");
        }
        return text.ToString();
    }

    /// <summary>Takes one writer reference for this process.</summary>
    internal void AcquireWriterReference()
    {
        int* claimed = (int*)(_base + RingLayout.WritersClaimedOffset);
        if (Interlocked.Increment(ref *claimed) > Writers)
        {
            Interlocked.Decrement(ref *claimed);
            throw new InvalidOperationException($"Ring '{Name}' was created with {Writers} writer reference(s) and all are taken; create it with a larger Writers.");
        }
        int pid = Environment.ProcessId;
        int* table = (int*)(_base + RingLayout.WriterTableOffset);
        for (int i = 0; i < RingLayout.WriterTableEntries; i++)
        {
            int current = Volatile.Read(ref table[2 * i]);
            if (current == pid || (current == 0 && Interlocked.CompareExchange(ref table[2 * i], pid, 0) == 0) || Volatile.Read(ref table[2 * i]) == pid)
            {
                Interlocked.Increment(ref table[2 * i + 1]);
                return;
            }
        }
        Interlocked.Decrement(ref *claimed);
        throw new InvalidOperationException($"Ring '{Name}' already has writers in {RingLayout.WriterTableEntries} processes, the limit.");
    }

    /// <summary>Gives one writer reference of this process back to the pool, without releasing it (a restart takes it again).</summary>
    internal void ReturnWriterReference()
    {
        int pid = Environment.ProcessId;
        int* table = (int*)(_base + RingLayout.WriterTableOffset);
        for (int i = 0; i < RingLayout.WriterTableEntries; i++)
        {
            if (Volatile.Read(ref table[2 * i]) == pid)
            {
                Interlocked.Decrement(ref table[2 * i + 1]);
                break;
            }
        }
        Interlocked.Decrement(ref *(int*)(_base + RingLayout.WritersClaimedOffset));
    }

    /// <summary>
    /// Closes a reader slot that is pending (never opened, or handed back by <see cref="RingReader.Detach"/>):
    /// writers stop keeping its items. Returns false when the slot is not pending.
    /// </summary>
    /// <param name="slot">The reader slot.</param>
    public bool CloseSlot(int slot)
    {
        ThrowIfDisposed();
        if ((uint)slot >= (uint)Readers)
            throw new ArgumentOutOfRangeException(nameof(slot), slot, $"Reader slot {slot} is outside 0..{Readers - 1} (ring '{Name}' has {Readers} slot(s)).");
        if (Interlocked.CompareExchange(ref *SlotStateWord(slot), SlotState.Closed, SlotState.Pending) != SlotState.Pending)
            return false;
        SignalSpace();
        return true;
    }

    /// <summary>Returns one writer reference; the last one completes the ring normally.</summary>
    internal void ReleaseWriterReference()
    {
        int pid = Environment.ProcessId;
        int* table = (int*)(_base + RingLayout.WriterTableOffset);
        for (int i = 0; i < RingLayout.WriterTableEntries; i++)
        {
            if (Volatile.Read(ref table[2 * i]) == pid)
            {
                Interlocked.Decrement(ref table[2 * i + 1]);
                break;
            }
        }
        if (Interlocked.Decrement(ref *(int*)(_base + RingLayout.WritersRemainingOffset)) == 0) TryComplete(null);
    }

    private void InitializeHeader(SharedMemoryRingOptions options, int dataOffset)
    {
        *(int*)(_base + RingLayout.VersionOffset) = RingLayout.Version;
        *(int*)(_base + RingLayout.DataOffsetOffset) = dataOffset;
        *(long*)(_base + RingLayout.CapacityOffset) = options.CapacityBytes;
        *(int*)(_base + RingLayout.ModeOffset) = (int)options.Mode;
        *(int*)(_base + RingLayout.ReaderSlotsOffset) = options.Readers;
        *(int*)(_base + RingLayout.WriterReferencesOffset) = options.Writers;
        *(int*)(_base + RingLayout.CreatorPidOffset) = Environment.ProcessId;
        *(int*)(_base + RingLayout.WritersRemainingOffset) = options.Writers;
        for (int slot = 0; slot < options.Readers; slot++) *SlotClaimed(slot) = -1;
        Volatile.Write(ref *(ulong*)(_base + RingLayout.MagicOffset), RingLayout.Magic);
    }

    private void LoadHeader(long fileLength)
    {
        ulong magic = Volatile.Read(ref *(ulong*)(_base + RingLayout.MagicOffset));
        if (magic != RingLayout.Magic)
            throw new BufferCorruptedException($"Ring '{Name}': magic 0x{magic:X16} is not the Puma ring magic 0x{RingLayout.Magic:X16}.");
        int version = *(int*)(_base + RingLayout.VersionOffset);
        if (version != RingLayout.Version)
            throw new BufferCorruptedException($"Ring '{Name}': layout version {version} is not the supported version {RingLayout.Version}.");
        int mode = *(int*)(_base + RingLayout.ModeOffset);
        if (mode is < 0 or > (int)BufferMode.Competing)
            throw new BufferCorruptedException($"Ring '{Name}': mode {mode} is outside 0..{(int)BufferMode.Competing}.");
        int readers = *(int*)(_base + RingLayout.ReaderSlotsOffset);
        if (readers is < 1 or > RingLayout.MaxReaderSlots)
            throw new BufferCorruptedException($"Ring '{Name}': reader slot count {readers} is outside 1..{RingLayout.MaxReaderSlots}.");
        int writers = *(int*)(_base + RingLayout.WriterReferencesOffset);
        if (writers is < 1 or > RingLayout.MaxWriterReferences)
            throw new BufferCorruptedException($"Ring '{Name}': writer reference count {writers} is outside 1..{RingLayout.MaxWriterReferences}.");
        int dataOffset = *(int*)(_base + RingLayout.DataOffsetOffset);
        if (dataOffset != RingLayout.DataOffset(readers))
            throw new BufferCorruptedException($"Ring '{Name}': data offset {dataOffset} is not {RingLayout.DataOffset(readers)}, the offset for {readers} reader slot(s).");
        long capacity = *(long*)(_base + RingLayout.CapacityOffset);
        if (capacity < RingLayout.MinCapacityBytes || capacity > fileLength - dataOffset || (capacity & 7) != 0)
            throw new BufferCorruptedException($"Ring '{Name}': capacity {capacity} is outside {RingLayout.MinCapacityBytes}..{fileLength - dataOffset} (the segment's size after the header) or not a multiple of 8.");
        ValidateCursors(readers, capacity, mode == (int)BufferMode.Competing);
        CapacityBytes = capacity;
        CapacityMask = (capacity & (capacity - 1)) == 0 ? capacity - 1 : 0;
        Mode = (BufferMode)mode;
        Readers = readers;
        Writers = writers;
        CreatorProcessId = *(int*)(_base + RingLayout.CreatorPidOffset);
        MaxMessageBytes = (int)Math.Min(int.MaxValue & ~7, ((capacity / 2) & ~7L) - RingLayout.RecordHeaderBytes);
        Data = _base + dataOffset;
    }

    /// <summary>
    /// Bounds-checks the cursors of a ring that may be in use: each cursor is read before the write
    /// cursor (cursors only grow, so a later write cursor is never behind), and the distance check
    /// only uses a cursor that did not move while the write cursor was read. Competing readers share
    /// the claim and release cursors and never move their slot's cursor, so in that mode only the
    /// release cursor is held to the capacity.
    /// </summary>
    private void ValidateCursors(int readers, long capacity, bool competing)
    {
        for (int slot = 0; slot < readers; slot++)
        {
            long* cursorWord = (long*)(_base + RingLayout.SlotOffset(slot) + RingLayout.SlotCursorOffset);
            int* stateWord = (int*)(_base + RingLayout.SlotOffset(slot) + RingLayout.SlotStateOffset);
            CheckCursor($"reader {slot} cursor", cursorWord, capacity, checkDistance: !competing && SlotState.IsLive(Volatile.Read(ref *stateWord)), stateWord);
        }
        if (competing)
        {
            long release = Volatile.Read(ref *(long*)(_base + RingLayout.ReleaseCursorOffset));
            long claim = Volatile.Read(ref *(long*)(_base + RingLayout.ClaimCursorOffset));
            if (release > claim)
                throw new BufferCorruptedException($"Ring '{Name}': competing release cursor {release} is ahead of the claim cursor {claim}.");
            CheckCursor("competing claim cursor", (long*)(_base + RingLayout.ClaimCursorOffset), capacity, checkDistance: false);
            CheckCursor("competing release cursor", (long*)(_base + RingLayout.ReleaseCursorOffset), capacity, checkDistance: true);
        }
    }

    private void CheckCursor(string field, long* cursorWord, long capacity, bool checkDistance, int* slotState = null)
    {
        for (int attempt = 0; ; attempt++)
        {
            long cursor = Volatile.Read(ref *cursorWord);
            long reserve = Volatile.Read(ref *(long*)(_base + RingLayout.ReserveCursorOffset));
            bool stable = Volatile.Read(ref *cursorWord) == cursor;
            if (cursor < 0 || cursor > reserve)
                throw new BufferCorruptedException($"Ring '{Name}': {field} {cursor} is outside 0..{reserve} (the write cursor).");
            if (!checkDistance || reserve - cursor <= capacity) return;
            if (slotState != null && !SlotState.IsLive(Volatile.Read(ref *slotState))) return; // a dead or closed reader may lag
            if (stable || attempt >= 100)
                throw new BufferCorruptedException($"Ring '{Name}': {field} {cursor} is {reserve - cursor} bytes behind the write cursor {reserve}, more than the capacity {capacity}.");
        }
    }

    private static void ValidateOptions(SharedMemoryRingOptions options)
    {
        if (options.CapacityBytes < RingLayout.MinCapacityBytes || options.CapacityBytes > RingLayout.MaxCapacityBytes)
            throw new ArgumentOutOfRangeException(nameof(options), options.CapacityBytes,
                $"CapacityBytes {options.CapacityBytes} is outside {RingLayout.MinCapacityBytes}..{RingLayout.MaxCapacityBytes} bytes.");
        if ((options.CapacityBytes & 7) != 0)
            throw new ArgumentOutOfRangeException(nameof(options), options.CapacityBytes,
                $"CapacityBytes {options.CapacityBytes} is not a multiple of 8.");
        if (!Enum.IsDefined(options.Mode))
            throw new ArgumentOutOfRangeException(nameof(options), options.Mode, $"Mode {options.Mode} is not a BufferMode.");
        if (options.Readers is < 1 or > RingLayout.MaxReaderSlots)
            throw new ArgumentOutOfRangeException(nameof(options), options.Readers,
                $"Readers {options.Readers} is outside 1..{RingLayout.MaxReaderSlots}.");
        if (options.Mode == BufferMode.ManyToOne && options.Readers != 1)
            throw new ArgumentOutOfRangeException(nameof(options), options.Readers,
                $"Readers {options.Readers} must be 1 for BufferMode.ManyToOne; use Broadcast or Competing for several readers.");
        if (options.Writers is < 1 or > RingLayout.MaxWriterReferences)
            throw new ArgumentOutOfRangeException(nameof(options), options.Writers,
                $"Writers {options.Writers} is outside 1..{RingLayout.MaxWriterReferences}.");
    }

    private static void ValidateName(string name)
    {
        bool valid = name.Length is > 0 and <= 200 && name[0] != '.';
        foreach (char c in name)
            valid &= char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.';
        if (!valid)
            throw new ArgumentException($"Ring name '{name}' must be 1 to 200 letters, digits, '-', '_' or '.', not starting with '.'.", nameof(name));
    }

    private static bool TryDelete(string path)
    {
        try
        {
            File.Delete(path);
            return true;
        }
        catch (IOException)
        {
            return false;
        }
        catch (UnauthorizedAccessException)
        {
            return false;
        }
    }
}
