using System.IO.MemoryMappedFiles;
using Puma.Buffers;
using Puma.Buffers.Metrics;
using Puma.Buffers.SharedMemory;
using Puma.Runnables.Loop;

namespace Puma.Runtime.Metrics;

/// <summary>
/// The counters of a runnable placed in a process, in shared memory: the supervisor creates the segment, the child
/// counts in it with plain stores (its loop's items and handler time, and each port's items, bytes and waits) and
/// the supervisor reads it whenever the metrics are observed, also after the child has exited. No frame, no timer.
/// </summary>
/// <remarks>
/// Layout: a 64-byte header (magic "PUMAMETR", version, kind, port count), then the runnable's cells, then
/// <see cref="EndCounters.CellCount"/> cells per port, ports in the ordinal order of their property names.
/// </remarks>
internal sealed unsafe class MetricsSegment : IDisposable
{
    /// <summary>"PUMAMETR" read as a little-endian 64-bit number.</summary>
    public const ulong Magic = 0x5254454D414D5550;

    /// <summary>The layout version.</summary>
    public const int Version = 2;

    /// <summary>The kind of shared object: a runnable's metrics.</summary>
    public const int Kind = 1;

    /// <summary>The most ports a segment holds.</summary>
    public const int MaxPorts = 4096;

    private const int HeaderBytes = 64;
    private const int VersionOffset = 8;
    private const int KindOffset = 12;
    private const int PortCountOffset = 16;

    private readonly RingSegment _segment;
    private readonly MemoryMappedViewAccessor _view;
    private readonly bool _isCreator;
    private readonly EndCounters[] _ports;
    private byte* _base;

    private MetricsSegment(RingSegment segment, bool isCreator, int portCount)
    {
        _segment = segment;
        _isCreator = isCreator;
        if (segment.Length < HeaderBytes)
            throw new BufferCorruptedException($"Metrics segment '{segment.Name}': size {segment.Length} is smaller than its {HeaderBytes}-byte header.");
        _view = segment.Map.CreateViewAccessor(0, segment.Length);
        byte* pointer = null;
        _view.SafeMemoryMappedViewHandle.AcquirePointer(ref pointer);
        _base = pointer + _view.PointerOffset;
        if (isCreator)
        {
            *(int*)(_base + VersionOffset) = Version;
            *(int*)(_base + KindOffset) = Kind;
            *(int*)(_base + PortCountOffset) = portCount;
            Volatile.Write(ref *(ulong*)_base, Magic);
        }
        else
        {
            Validate(portCount);
        }

        var cells = (long*)(_base + HeaderBytes);
        Runnable = new RunnableCounters(CounterCells.At(cells, RunnableCounters.CellCount, this));
        _ports = new EndCounters[portCount];
        for (var i = 0; i < portCount; i++)
            _ports[i] = new EndCounters(CounterCells.At(cells + RunnableCounters.CellCount + (i * EndCounters.CellCount), EndCounters.CellCount, this));
    }

    /// <summary>What the child passes to <see cref="Open"/>.</summary>
    public string Name => _segment.Name;

    /// <summary>The runnable's loop counters.</summary>
    public RunnableCounters Runnable { get; }

    /// <summary>The ports' counters, in the ordinal order of their property names.</summary>
    public IReadOnlyList<EndCounters> Ports => _ports;

    /// <summary>A new zeroed segment for a runnable with <paramref name="portCount"/> ports (the supervisor's side).</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="portCount"/> is outside 0..<see cref="MaxPorts"/>.</exception>
    public static MetricsSegment Create(int portCount)
    {
        CheckPortCount(portCount);
        var segment = RingSegment.Create(SizeFor(portCount));
        try
        {
            return new MetricsSegment(segment, isCreator: true, portCount);
        }
        catch
        {
            segment.Release(isCreator: true);
            throw;
        }
    }

    /// <summary>Opens the segment the supervisor created (the child's side) and checks its header.</summary>
    /// <exception cref="BufferCorruptedException">The header is not a metrics segment for <paramref name="portCount"/> ports; the message names the bad value.</exception>
    public static MetricsSegment Open(string name, int portCount)
    {
        CheckPortCount(portCount);
        var segment = RingSegment.Open(name, SizeFor(portCount));
        try
        {
            return new MetricsSegment(segment, isCreator: false, portCount);
        }
        catch
        {
            segment.Release(isCreator: false);
            throw;
        }
    }

    /// <summary>Unmaps the segment (and deletes its file, for the creator of a file segment).</summary>
    public void Dispose()
    {
        if (_base == null)
            return;
        _base = null;
        _view.SafeMemoryMappedViewHandle.ReleasePointer();
        _view.Dispose();
        _segment.Release(_isCreator);
    }

    private static long SizeFor(int portCount) => HeaderBytes + ((RunnableCounters.CellCount + ((long)portCount * EndCounters.CellCount)) * sizeof(long));

    private static void CheckPortCount(int portCount)
    {
        if (portCount is < 0 or > MaxPorts)
            throw new ArgumentOutOfRangeException(nameof(portCount), portCount, $"A metrics segment holds 0..{MaxPorts} ports, got {portCount}.");
    }

    private void Validate(int portCount)
    {
        var magic = Volatile.Read(ref *(ulong*)_base);
        if (magic != Magic)
            throw new BufferCorruptedException($"Metrics segment '{Name}': magic 0x{magic:X16} is not the Puma metrics magic 0x{Magic:X16}.");
        var version = *(int*)(_base + VersionOffset);
        if (version != Version)
            throw new BufferCorruptedException($"Metrics segment '{Name}': layout version {version} is not the supported version {Version}.");
        var kind = *(int*)(_base + KindOffset);
        if (kind != Kind)
            throw new BufferCorruptedException($"Metrics segment '{Name}': kind {kind} is not {Kind} (a runnable's metrics).");
        var ports = *(int*)(_base + PortCountOffset);
        if (ports != portCount)
            throw new BufferCorruptedException($"Metrics segment '{Name}': port count {ports} is not {portCount}, the runnable's port count.");
        if (_segment.Length < SizeFor(portCount))
            throw new BufferCorruptedException($"Metrics segment '{Name}': size {_segment.Length} is smaller than the {SizeFor(portCount)} bytes {portCount} port(s) need.");
    }
}
