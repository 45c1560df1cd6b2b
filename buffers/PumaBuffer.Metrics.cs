using Puma.Buffers.Metrics;
using Puma.Buffers.SharedMemory;

namespace Puma.Buffers;

// What the runtime's metrics read from a buffer: its ends' counters in this process and how full it is.
public abstract partial class PumaBuffer
{
    private EndCounters[] _readerCounters = [];

    /// <summary>The counters of this process's writer end; null until <see cref="CountEnds"/>.</summary>
    internal EndCounters? WriterCounters { get; private set; }

    /// <summary>
    /// The counters of this process's reader ends of a shared-memory ring, by reader index; empty until
    /// <see cref="CountEnds"/>. An in-process channel's reads are not counted as they happen: see <see cref="InProcessReads"/>.
    /// </summary>
    internal IReadOnlyList<EndCounters> ReaderCounters => _readerCounters;

    /// <summary>
    /// For a buffer open on an in-process channel, the items and bytes each reader end has taken, derived without a
    /// counter on the read path: what was written minus what the end still holds (exact once the buffer is drained;
    /// while items flow, as of the moment it is read). Null for a ring (its ends count) or before it opens.
    /// </summary>
    internal abstract IReadOnlyList<(long Items, long Bytes)>? InProcessReads { get; }

    /// <summary>
    /// Makes this process's ends count what goes through them, from the moment the buffer opens (call it before).
    /// </summary>
    /// <param name="sharedWriter">True when several runnables of this process write at once: the writer end adds atomically.</param>
    /// <param name="sharedReaders">True when several runnables of this process read the same reader end at once (competing).</param>
    internal void CountEnds(bool sharedWriter, bool sharedReaders)
    {
        if (IsOpen)
            throw new InvalidOperationException($"Buffer '{Name}' is already open: make its ends count before it opens.");
        WriterCounters = new EndCounters { Shared = sharedWriter };
        _readerCounters = Enumerable.Range(0, Math.Max(1, ReaderEndCount)).Select(_ => new EndCounters { Shared = sharedReaders }).ToArray();
    }

    /// <summary>Drops the reader ends' counters: the buffer opened on an in-process channel, whose reads are derived.</summary>
    private protected void DropReaderCounters() => _readerCounters = [];

    /// <summary>How many reader ends the buffer has now (one unless broadcast).</summary>
    internal abstract int ReaderEndCount { get; }

    /// <summary>
    /// How full the buffer is, 0..1: items held over <see cref="Capacity"/> for an in-process channel (the fullest
    /// reader's share for a broadcast buffer), bytes held over <see cref="CapacityBytes"/> for a shared-memory ring.
    /// 0 before it opens.
    /// </summary>
    internal abstract double FillLevel { get; }
}

// The counting and fill level of a typed buffer.
public sealed partial class PumaBuffer<T>
{
    private SharedMemoryRing? _ring;

    /// <inheritdoc />
    internal override int ReaderEndCount
    {
        get { lock (_gate) return _readers.Count; }
    }

    /// <inheritdoc />
    internal override IReadOnlyList<(long Items, long Bytes)>? InProcessReads
    {
        get
        {
            if (_ring is not null || !IsOpen || WriterCounters is not { } writer)
                return null;
            var written = writer.Items;
            return ReaderEnds.Select(r =>
            {
                var read = Math.Max(0, written - (r.IsAttached && r.CanCount ? r.Count : 0));
                return (read, read * ItemBytes<T>.Size);
            }).ToArray();
        }
    }

    /// <inheritdoc />
    internal override double FillLevel
    {
        get
        {
            if (_ring is { } ring)
                return ring.FillLevel();
            if (!IsOpen)
                return 0;
            var fullest = 0;
            foreach (var reader in ReaderEnds)
            {
                if (reader.IsAttached && reader.CanCount)
                    fullest = Math.Max(fullest, reader.Count);
            }
            return Math.Clamp((double)fullest / Capacity, 0, 1);
        }
    }

    /// <summary>
    /// Hands the counters to the ends just opened: a ring's raw ends count themselves; for an in-process channel the
    /// writer wrapper counts, and the reads are derived (see <see cref="InProcessReads"/>).
    /// </summary>
    private void ApplyCounters()
    {
        if (WriterCounters is null)
            return;
        if (_transportWriter is SharedMemoryChannelWriter<T> ringWriter)
        {
            ringWriter.Raw.CountWith(WriterCounters);
        }
        else
        {
            WriterCounters.BytesPerItem = ItemBytes<T>.Size; // the writer counts items only: every item has this size
            _writer.CountWith(WriterCounters);
            DropReaderCounters(); // an in-process channel's reads are derived (InProcessReads), never counted
            return;
        }
        for (var i = 0; i < _readers.Count && i < ReaderCounters.Count; i++)
        {
            if (_ringReaders.TryGetValue(i, out var ringReader))
                ringReader.Raw.CountWith(ReaderCounters[i]);
        }
    }
}
