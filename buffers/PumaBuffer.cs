using System.Threading.Channels;
using Puma.Buffers.SharedMemory;

namespace Puma.Buffers;

/// <summary>
/// A named, bounded buffer whose ends are standard <see cref="ChannelWriter{T}"/> and
/// <see cref="ChannelReader{T}"/> objects. The ends are handed out before the transport exists:
/// the owner (the Puma runtime) opens the buffer when it starts, choosing an in-process channel
/// or a shared-memory ring depending on where the ends live. Using an end before that throws
/// <see cref="InvalidOperationException"/>.
/// </summary>
/// <remarks>
/// The buffer counts the runnables bound to each side. When the last bound writer is released the
/// buffer completes (with the error, at once, if a writer failed); when the last bound reader is
/// released the buffer completes with <see cref="BufferReaderGoneException"/>, so a writer never
/// waits forever on a reader that is gone.
/// </remarks>
public abstract partial class PumaBuffer
{
    private int _writerReferences;
    private int _readerReferences;

    /// <summary>Creates the buffer description.</summary>
    /// <param name="name">The buffer's name, unique in its runtime.</param>
    /// <param name="capacity">The most items the buffer holds before writers wait; at least 1.</param>
    /// <param name="mode">How items are delivered to the reader ends.</param>
    /// <param name="capacityBytes">For a shared-memory transport, the ring's size in bytes; null for the default.</param>
    private protected PumaBuffer(string name, int capacity, BufferMode mode, long? capacityBytes = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        if (SettingProblems($"Buffer '{name}'", capacity, mode, capacityBytes).FirstOrDefault() is { Parameter: not null } problem)
            throw new ArgumentOutOfRangeException(problem.Parameter, problem.Value, problem.Message);

        Name = name;
        Capacity = capacity;
        Mode = mode;
        CapacityBytes = capacityBytes ?? DefaultCapacityBytes(capacity);
    }

    /// <summary>The shared-memory capacity a buffer of <paramref name="capacity"/> items gets when none is given: 16 KiB an item, clamped to 4..256 MiB.</summary>
    /// <param name="capacity">The buffer's capacity in items.</param>
    /// <returns>The ring's size in bytes.</returns>
    internal static long DefaultCapacityBytes(int capacity) =>
        Math.Clamp(capacity * DefaultBytesPerItem, MinDefaultCapacityBytes, MaxDefaultCapacityBytes);

    /// <summary>
    /// Every problem of a buffer's settings, each with the constructor parameter it concerns: the constructor throws the
    /// first, a pipeline spec's validation lists them all.
    /// </summary>
    /// <param name="label">How the messages name the buffer, e.g. <c>Buffer 'frames'</c>.</param>
    /// <param name="capacity">The capacity in items.</param>
    /// <param name="mode">The delivery mode.</param>
    /// <param name="capacityBytes">The ring's size in bytes; null for the default.</param>
    /// <returns>The problems, in parameter order; none when the settings are valid.</returns>
    internal static IEnumerable<(string Parameter, object? Value, string Message)> SettingProblems(string label, int capacity, BufferMode mode, long? capacityBytes)
    {
        if (capacity < 1)
            yield return (nameof(capacity), capacity, $"{label}: capacity must be at least 1 item, got {capacity}.");
        if (!Enum.IsDefined(mode))
            yield return (nameof(mode), mode, $"{label}: unknown buffer mode {(int)mode}; use ManyToOne, Broadcast or Competing.");
        if (capacityBytes is < MinCapacityBytes or > MaxCapacityBytes)
            yield return (nameof(capacityBytes), capacityBytes, $"{label}: capacityBytes must be {MinCapacityBytes}..{MaxCapacityBytes} bytes (16 GiB), got {capacityBytes}.");
        else if (capacityBytes is { } bytes && (bytes & 7) != 0)
            yield return (nameof(capacityBytes), capacityBytes, $"{label}: capacityBytes must be a multiple of 8 in {MinCapacityBytes}..{MaxCapacityBytes}, got {bytes} (try {(bytes + 7) & ~7L}).");
    }

    /// <summary>The smallest <see cref="CapacityBytes"/> a buffer accepts (256 bytes).</summary>
    public const long MinCapacityBytes = SharedMemory.RingLayout.MinCapacityBytes;

    /// <summary>The largest <see cref="CapacityBytes"/> a buffer accepts (16 GiB).</summary>
    public const long MaxCapacityBytes = SharedMemory.RingLayout.MaxCapacityBytes;

    /// <summary>Bytes per item the default shared-memory capacity allows for (16 KiB).</summary>
    public const long DefaultBytesPerItem = 16 * 1024;

    /// <summary>
    /// The smallest default shared-memory capacity (4 MiB): larger than a core's L2 cache, so that what a writer wrote
    /// has left its core's cache by the time the reader reads it (buffers/SharedMemory/README.md, "Ring size").
    /// </summary>
    public const long MinDefaultCapacityBytes = 4 << 20;

    /// <summary>The largest default shared-memory capacity (256 MiB).</summary>
    public const long MaxDefaultCapacityBytes = 256L << 20;

    /// <summary>
    /// The size in bytes of the shared-memory ring when the buffer crosses processes. A ring is bounded
    /// by bytes, not items: <see cref="Capacity"/> bounds in-process channels. Default:
    /// <see cref="Capacity"/> x 16 KiB, clamped to 4..256 MiB.
    /// </summary>
    public long CapacityBytes { get; }

    /// <summary>The buffer's name, unique in its runtime.</summary>
    public string Name { get; }

    /// <summary>The most items the buffer holds before writers wait.</summary>
    /// <remarks>
    /// In process, a buffer of up to 65,536 items runs on a lock-free channel whose slots (item size + 8 bytes each)
    /// are allocated when the runtime starts; a larger one on <see cref="Channel.CreateBounded{T}(int)"/>, which
    /// allocates as items arrive and takes a lock per item.
    /// </remarks>
    public int Capacity { get; }

    /// <summary>How items are delivered to the reader ends.</summary>
    public BufferMode Mode { get; }

    /// <summary>The type of the items.</summary>
    public abstract Type ElementType { get; }

    /// <summary>True once the buffer has been opened on a transport.</summary>
    internal abstract bool IsOpen { get; }

    /// <summary>How many reader ends have been handed out (through <c>Reader</c> or <c>AddReader</c>).</summary>
    internal abstract int ReaderEndsHandedOut { get; }

    /// <summary>True once the writer end has been handed out.</summary>
    internal abstract bool WriterHandedOut { get; }

    /// <summary>Opens the buffer on an in-process channel: the transport when every end lives in this process.</summary>
    /// <exception cref="InvalidOperationException">The buffer is already open.</exception>
    internal abstract void OpenInProcess();

    /// <summary>
    /// Opens the buffer on a shared-memory ring: the transport when its ends live in several processes.
    /// This process's writer end takes one writer reference of the ring, released when the last writer
    /// reference of this buffer is released here.
    /// </summary>
    /// <param name="ring">The ring, created by this process.</param>
    /// <param name="readerSlots">For each reader end of this buffer, the ring slot it reads here, or null when it is read elsewhere.</param>
    internal abstract void OpenSharedMemory(SharedMemoryRing ring, IReadOnlyList<int?> readerSlots);

    /// <summary>
    /// Registers one more runnable that writes to this buffer. The buffer completes when every
    /// registered writer has been released.
    /// </summary>
    internal void AddWriterReference() => Interlocked.Increment(ref _writerReferences);

    /// <summary>Registers one more runnable that reads from this buffer.</summary>
    internal void AddReaderReference() => Interlocked.Increment(ref _readerReferences);

    /// <summary>
    /// Releases one writer reference. With an error the buffer completes at once with it;
    /// otherwise it completes when the last writer reference is released.
    /// </summary>
    /// <param name="error">The writer's failure, or null when it ended normally.</param>
    internal void ReleaseWriter(Exception? error)
    {
        var left = Interlocked.Decrement(ref _writerReferences);
        if (error is not null)
            TryCompleteTransport(error);
        else if (left <= 0)
            TryCompleteTransport(null);
    }

    /// <summary>
    /// Releases one reader reference. When no reader is left the buffer completes with
    /// <see cref="BufferReaderGoneException"/>, so writers fail instead of waiting forever.
    /// </summary>
    /// <param name="readerName">The name of the reader that went away, for the error message.</param>
    /// <param name="readerIndex">The index of the reader end it was bound to.</param>
    internal void ReleaseReader(string readerName, int readerIndex)
    {
        DetachReader(readerIndex);
        if (Interlocked.Decrement(ref _readerReferences) <= 0)
            TryCompleteTransport(new BufferReaderGoneException(Name, readerName));
    }

    /// <summary>Stops holding writers back for reader end <paramref name="readerIndex"/> (broadcast only).</summary>
    /// <param name="readerIndex">The reader end whose runnable ended.</param>
    protected abstract void DetachReader(int readerIndex);

    /// <summary>Completes the underlying transport, if open.</summary>
    /// <param name="error">The error to complete with, or null.</param>
    /// <returns>True when this call completed it.</returns>
    protected abstract bool TryCompleteTransport(Exception? error);
}

/// <summary>
/// A named, bounded buffer of <typeparamref name="T"/> items. See <see cref="PumaBuffer"/>.
/// </summary>
/// <typeparam name="T">The item type.</typeparam>
public sealed partial class PumaBuffer<T> : PumaBuffer
{
    private readonly BufferWriter<T> _writer;
    private readonly List<BufferReader<T>> _readers = new();
    private readonly object _gate = new();
    private bool _writerHandedOut;
    private ChannelWriter<T>? _transportWriter;
    private BroadcastChannel<T>? _broadcast;
    private SharedMemoryChannelWriter<T>? _ringWriter;
    private readonly Dictionary<int, SharedMemoryChannelReader<T>> _ringReaders = new();

    /// <summary>Creates a buffer that is not open yet; the runtime opens it when it starts.</summary>
    /// <param name="name">The buffer's name.</param>
    /// <param name="capacity">Capacity in items, at least 1.</param>
    /// <param name="mode">Delivery mode.</param>
    /// <param name="capacityBytes">The shared-memory ring's size when the buffer crosses processes; null for the default.</param>
    public PumaBuffer(string name, int capacity, BufferMode mode = BufferMode.ManyToOne, long? capacityBytes = null)
        : base(name, capacity, mode, capacityBytes)
    {
        _writer = new BufferWriter<T>(this);
        if (mode != BufferMode.Broadcast)
            _readers.Add(new BufferReader<T>(this, 0));
    }

    /// <inheritdoc />
    public override Type ElementType => typeof(T);

    /// <inheritdoc />
    internal override bool IsOpen => _transportWriter is not null;

    /// <inheritdoc />
    internal override int ReaderEndsHandedOut
    {
        get { lock (_gate) return _readers.Count(r => r.HandedOut); }
    }

    /// <inheritdoc />
    internal override bool WriterHandedOut => Volatile.Read(ref _writerHandedOut);

    /// <summary>
    /// The writer end. Any number of runnables may share it; the buffer completes when the last of
    /// them ends (or at once when one fails).
    /// </summary>
    public BufferWriter<T> Writer
    {
        get { Volatile.Write(ref _writerHandedOut, true); return _writer; }
    }

    /// <summary>
    /// The reader end, for <see cref="BufferMode.ManyToOne"/> (bind it to one runnable) and
    /// <see cref="BufferMode.Competing"/> (bind it to as many runnables as share the work).
    /// A broadcast buffer has one end per reader: use <see cref="AddReader"/>.
    /// </summary>
    /// <exception cref="InvalidOperationException">The buffer is a broadcast buffer.</exception>
    public BufferReader<T> Reader
    {
        get
        {
            if (Mode == BufferMode.Broadcast)
                throw new InvalidOperationException($"Buffer '{Name}' is a broadcast buffer: each reader needs its own end, get one with AddReader().");
            var reader = _readers[0];
            reader.HandedOut = true;
            return reader;
        }
    }

    /// <summary>
    /// Adds a reader end to a <see cref="BufferMode.Broadcast"/> buffer: every end added before the
    /// buffer opens sees every item written.
    /// </summary>
    /// <returns>A new reader end; bind it to exactly one runnable.</returns>
    /// <exception cref="InvalidOperationException">The buffer is not a broadcast buffer, or is already open.</exception>
    public BufferReader<T> AddReader()
    {
        if (Mode != BufferMode.Broadcast)
            throw new InvalidOperationException($"Buffer '{Name}' is a {Mode} buffer with a single shared reader end: use Reader.");
        lock (_gate)
        {
            if (IsOpen)
                throw new InvalidOperationException($"Buffer '{Name}' is already open: add broadcast readers before the runtime starts.");
            var reader = new BufferReader<T>(this, _readers.Count) { HandedOut = true };
            _readers.Add(reader);
            return reader;
        }
    }

    /// <summary>All reader ends of this buffer (one unless broadcast).</summary>
    internal IReadOnlyList<BufferReader<T>> ReaderEnds
    {
        get { lock (_gate) return _readers.ToArray(); }
    }

    /// <inheritdoc />
    internal override void OpenInProcess()
    {
        lock (_gate)
        {
            EnsureNotOpen();
            if (Mode == BufferMode.Broadcast)
            {
                var broadcast = _broadcast = new BroadcastChannel<T>(Capacity, _readers.Count);
                for (var i = 0; i < _readers.Count; i++)
                    _readers[i].Attach(broadcast.Readers[i]);
                Attach(broadcast.Writer);
            }
            else
            {
                // Writers wait while it is full, any number of readers and writers, and no continuation runs
                // inside another end's call (a reader's await never runs in TryWrite). The lock-free channel takes
                // no lock per item but holds its slots from the start; a larger buffer gets the BCL's bounded
                // channel, which takes a lock per item and grows its queue as items arrive.
                var channel = Capacity <= LockFreeChannel<T>.LargestCapacity
                    ? new LockFreeChannel<T>(Capacity)
                    : (Channel<T>)Channel.CreateBounded<T>(Capacity);
                _readers[0].Attach(channel.Reader);
                Attach(channel.Writer);
            }
            ApplyCounters();
        }
    }

    /// <summary>
    /// Opens the buffer on transport ends supplied by the caller (a shared-memory ring, for instance).
    /// </summary>
    /// <param name="writer">The transport's writer end, or null when no writer lives in this process.</param>
    /// <param name="readers">The transport's reader ends by reader index; null entries are ends that live elsewhere.</param>
    internal void Open(ChannelWriter<T>? writer, IReadOnlyList<ChannelReader<T>?> readers)
    {
        ArgumentNullException.ThrowIfNull(readers);
        lock (_gate)
        {
            EnsureNotOpen();
            if (readers.Count != _readers.Count)
                throw new ArgumentException($"Buffer '{Name}' has {_readers.Count} reader end(s) but {readers.Count} transport reader(s) were given.", nameof(readers));
            for (var i = 0; i < readers.Count; i++)
            {
                if (readers[i] is { } r)
                    _readers[i].Attach(r);
            }

            Attach(writer ?? new DetachedWriter<T>(Name));
            ApplyCounters();
        }
    }

    /// <inheritdoc />
    internal override void OpenSharedMemory(SharedMemoryRing ring, IReadOnlyList<int?> readerSlots)
    {
        ArgumentNullException.ThrowIfNull(ring);
        ArgumentNullException.ThrowIfNull(readerSlots);
        lock (_gate)
        {
            EnsureNotOpen();
            if (readerSlots.Count != _readers.Count)
                throw new ArgumentException($"Buffer '{Name}' has {_readers.Count} reader end(s) but {readerSlots.Count} slot(s) were given.", nameof(readerSlots));
            ring.BufferName ??= Name;
            for (var i = 0; i < readerSlots.Count; i++)
            {
                if (readerSlots[i] is not { } slot)
                    continue;
                var reader = ring.CreateReader<T>(slot);
                _ringReaders[i] = reader;
                _readers[i].Attach(reader);
            }
            _ringWriter = ring.CreateWriter<T>();
            Attach(_ringWriter);
            _ring = ring;
            ApplyCounters();
        }
    }

    private void Attach(ChannelWriter<T> transportWriter)
    {
        _writer.Attach(transportWriter);
        Volatile.Write(ref _transportWriter, transportWriter);
    }

    private void EnsureNotOpen()
    {
        if (IsOpen)
            throw new InvalidOperationException($"Buffer '{Name}' is already open.");
    }

    /// <inheritdoc />
    protected override void DetachReader(int readerIndex)
    {
        if (_broadcast is { } b && readerIndex >= 0 && readerIndex < _readers.Count)
            b.Detach(readerIndex);
        if (Mode != BufferMode.Competing && _ringReaders.TryGetValue(readerIndex, out var ringReader))
            ringReader.Dispose();
    }

    /// <inheritdoc />
    protected override bool TryCompleteTransport(Exception? error)
    {
        if (error is null && _ringWriter is { } ringWriter)
        {
            // Other processes may still hold writer references: give back ours; the last one completes the ring.
            ringWriter.ReleaseWriter();
            // Stryker disable once Boolean : ReleaseWriter and ReleaseReader, the only callers (the class is sealed), ignore the result
            return true;
        }
        return Volatile.Read(ref _transportWriter) is { } w && w.TryComplete(error);
    }
}
