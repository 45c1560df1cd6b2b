using Puma.Buffers;
using Puma.Buffers.SharedMemory;
using Puma.Runnables;

namespace Puma.Runtime.Supervision;

/// <summary>
/// Chooses each buffer's transport when the runtime starts: an in-process channel when every end lives
/// in this process, otherwise a shared-memory ring created here, whose segment and reader slots the
/// child processes attach to. Owns the rings: disposing the plan releases them (a sealed memfd is gone once no process holds it; a file segment is unlinked).
/// </summary>
internal sealed class TransportPlan : IDisposable
{
    private readonly Dictionary<string, SharedMemoryRing> _rings = new(StringComparer.Ordinal);
    private readonly Dictionary<(string Buffer, string Runnable), int> _processReaderSlots = new();
    private readonly Dictionary<string, int?[]> _localReaderSlots = new(StringComparer.Ordinal);
    private readonly HashSet<string> _shared = new(StringComparer.Ordinal);

    private TransportPlan()
    {
    }

    /// <summary>Plans every buffer; adds a problem for each combination the transports cannot serve.</summary>
    public static TransportPlan Create(IReadOnlyList<RunnableSlot> slots, IEnumerable<PumaBuffer> buffers, List<string> problems)
    {
        var plan = new TransportPlan();
        foreach (var buffer in buffers)
        {
            var bindings = slots
                .SelectMany(s => s.Ports.Where(p => p.BufferEnd?.Buffer == buffer).Select(p => (Slot: s, End: p.BufferEnd!)))
                .ToList();
            if (!bindings.Any(b => b.Slot.OutOfProcess))
                continue;
            plan._shared.Add(buffer.Name);
            var readers = bindings.Where(b => !b.End.IsWriter).ToList();
            var ends = buffer.Mode == BufferMode.Broadcast ? buffer.ReaderEndsHandedOut : 1;
            var local = new int?[ends];
            if (buffer.Mode == BufferMode.Competing)
            {
                var threadReaders = readers.Count(r => r.Slot.Placement == Placement.Thread);
                var next = 0;
                foreach (var reader in readers.Where(r => r.Slot.OutOfProcess))
                    plan._processReaderSlots[(buffer.Name, reader.Slot.Name)] = next++;
                CheckCompetingReaders(buffer.Name, buffer.Mode, crossesProcesses: true, threadReaders, problems);
                if (threadReaders > 0 || readers.Count == 0)
                    local[0] = next;
            }
            else
            {
                for (var index = 0; index < ends; index++)
                {
                    var bound = readers.Where(r => r.End.Index == index).ToList();
                    foreach (var reader in bound.Where(r => r.Slot.OutOfProcess))
                        plan._processReaderSlots[(buffer.Name, reader.Slot.Name)] = index;
                    if (bound.Count == 0 || bound.Any(r => r.Slot.Placement == Placement.Thread))
                        local[index] = index;
                }
            }
            plan._localReaderSlots[buffer.Name] = local;
        }
        return plan;
    }

    /// <summary>
    /// The transports' rule for a <see cref="BufferMode.Competing"/> buffer that crosses processes: at most one of its
    /// readers runs in a thread of this process (this process reads the ring through one reader slot). Shared by the
    /// plan and a pipeline spec's validation.
    /// </summary>
    /// <param name="buffer">The buffer's name.</param>
    /// <param name="mode">Its delivery mode.</param>
    /// <param name="crossesProcesses">True when a runnable bound to it runs outside this process.</param>
    /// <param name="threadReaders">How many of its readers run in threads of this process.</param>
    /// <param name="problems">Where the problem is added.</param>
    public static void CheckCompetingReaders(string buffer, BufferMode mode, bool crossesProcesses, int threadReaders, List<string> problems)
    {
        if (mode == BufferMode.Competing && crossesProcesses && threadReaders > 1)
            problems.Add($"Buffer '{buffer}' is Competing across processes, and {threadReaders} of its readers run in threads: place them in processes, or put at most one in a thread.");
    }

    /// <summary>True when the buffer crosses processes.</summary>
    public bool IsShared(string bufferName) => _shared.Contains(bufferName);

    /// <summary>Opens every buffer on its transport.</summary>
    public void Open(IReadOnlyList<RunnableSlot> slots, IEnumerable<PumaBuffer> buffers)
    {
        foreach (var buffer in buffers)
        {
            if (!_shared.Contains(buffer.Name))
            {
                buffer.OpenInProcess();
                continue;
            }
            var local = _localReaderSlots[buffer.Name];
            var processReaders = _processReaderSlots.Count(kv => kv.Key.Buffer == buffer.Name);
            var ring = SharedMemoryRing.Create(new SharedMemoryRingOptions
            {
                CapacityBytes = buffer.CapacityBytes,
                Mode = buffer.Mode,
                Readers = buffer.Mode == BufferMode.Competing ? processReaders + (local[0] is null ? 0 : 1) : local.Length,
                Writers = 1 + WriterReferencesOfChildren(slots, buffer),
            });
            _rings[buffer.Name] = ring;
            buffer.OpenSharedMemory(ring, local);
        }
    }

    /// <summary>The segment name of a shared buffer, for its children.</summary>
    public string? SegmentOf(string bufferName) => _rings.TryGetValue(bufferName, out var ring) ? ring.Name : null;

    /// <summary>The ring of a shared buffer; null for an in-process one.</summary>
    public SharedMemoryRing? RingOf(string bufferName) => _rings.GetValueOrDefault(bufferName);

    /// <summary>The ring slot a process runnable reads a buffer from.</summary>
    public int ReaderSlotOf(string bufferName, string runnableName, int endIndex) =>
        _processReaderSlots.TryGetValue((bufferName, runnableName), out var slot) ? slot : endIndex;

    /// <summary>One writer reference per writer port of a child; a failed child hands it back for its restart.</summary>
    private static int WriterReferencesOfChildren(IReadOnlyList<RunnableSlot> slots, PumaBuffer buffer) =>
        slots.Where(s => s.OutOfProcess)
            .Sum(s => s.Ports.Count(p => p.BufferEnd is { IsWriter: true } end && end.Buffer == buffer));

    /// <summary>Closes the slot a failed child handed back, now that it will not be restarted.</summary>
    public void CloseReaderSlot(string bufferName, string runnableName, int endIndex)
    {
        if (_rings.TryGetValue(bufferName, out var ring))
            ring.CloseSlot(ReaderSlotOf(bufferName, runnableName, endIndex));
    }

    /// <summary>Unlinks every ring this runtime created.</summary>
    public void Dispose()
    {
        foreach (var ring in _rings.Values)
            ring.Dispose();
        _rings.Clear();
    }
}
