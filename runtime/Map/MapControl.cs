using System.IO.MemoryMappedFiles;
using System.Runtime.InteropServices;
using Puma.Buffers.SharedMemory;

namespace Puma.Runtime.Map;

/// <summary>
/// Where a map's workers meet (<see cref="MapControlLayout"/>): each claims its next chunk with one atomic add on a
/// shared counter, and stops claiming once the stop word is set. In native memory for serial and thread workers, in a
/// shared-memory segment (see <see cref="RingSegment"/>) for process workers.
/// </summary>
internal sealed unsafe class MapControl : IDisposable
{
    private readonly RingSegment? _segment;
    private readonly MemoryMappedViewAccessor? _view;
    private readonly bool _isCreator;
    private byte* _block;

    private MapControl(byte* block, MapPlan plan, RingSegment? segment, MemoryMappedViewAccessor? view, bool isCreator)
    {
        _block = block;
        Plan = plan;
        _segment = segment;
        _view = view;
        _isCreator = isCreator;
    }

    /// <summary>The plan the block was made for (read back from the header in a worker process).</summary>
    public MapPlan Plan { get; }

    /// <summary>The segment's name for <see cref="Open"/>; null for a block in native memory.</summary>
    public string? Name => _segment?.Name;

    /// <summary>Why the workers stopped early, or <see cref="MapStop.None"/>.</summary>
    public MapStop Stopped => (MapStop)Volatile.Read(ref *(int*)(_block + MapControlLayout.StopOffset));

    /// <summary>A block in native memory, for workers in this process.</summary>
    public static MapControl CreateLocal(MapPlan plan)
    {
        var size = (nuint)MapControlLayout.SizeFor(plan.Workers);
        var block = (byte*)NativeMemory.AlignedAlloc(size, 128);
        NativeMemory.Clear(block, size);
        MapControlLayout.Write(block, plan);
        return new MapControl(block, plan, null, null, isCreator: true);
    }

    /// <summary>A block in a new shared-memory segment, for workers in other processes.</summary>
    public static MapControl CreateShared(MapPlan plan)
    {
        var segment = RingSegment.Create(Math.Max(4096, MapControlLayout.SizeFor(plan.Workers)));
        try
        {
            var view = segment.Map.CreateViewAccessor(0, segment.Length, MemoryMappedFileAccess.ReadWrite);
            var block = Acquire(view);
            MapControlLayout.Write(block, plan);
            return new MapControl(block, plan, segment, view, isCreator: true);
        }
        catch
        {
            segment.Release(isCreator: true);
            throw;
        }
    }

    /// <summary>Opens the block another process made, and checks its header.</summary>
    /// <exception cref="Puma.Buffers.BufferCorruptedException">The header is not valid.</exception>
    public static MapControl Open(string name)
    {
        var segment = RingSegment.Open(name, MapControlLayout.SlotsOffset);
        MemoryMappedViewAccessor? view = null;
        try
        {
            view = segment.Map.CreateViewAccessor(0, segment.Length, MemoryMappedFileAccess.ReadWrite);
            var block = Acquire(view);
            var plan = MapControlLayout.Read(block, segment.Length, name);
            return new MapControl(block, plan, segment, view, isCreator: false);
        }
        catch
        {
            if (view is not null)
            {
                view.SafeMemoryMappedViewHandle.ReleasePointer();
                view.Dispose();
            }
            segment.Release(isCreator: false);
            throw;
        }
    }

    /// <summary>
    /// Claims the next chunk for <paramref name="worker"/>: false once every chunk is claimed or the map stopped.
    /// Records the chunk in the worker's slot, so that a process that dies names the chunk it was in.
    /// </summary>
    public bool TryClaim(int worker, out long start, out int length)
    {
        var slot = (long*)(_block + MapControlLayout.SlotsOffset) + worker;
        if (Stopped != MapStop.None)
        {
            Volatile.Write(ref *slot, 0);
            start = 0;
            length = 0;
            return false;
        }

        var chunk = Interlocked.Increment(ref *(long*)(_block + MapControlLayout.NextChunkOffset)) - 1;
        if (chunk >= Plan.ChunkCount)
        {
            Volatile.Write(ref *slot, 0);
            start = 0;
            length = 0;
            return false;
        }

        start = chunk * Plan.ChunkSize;
        length = (int)Math.Min(Plan.ChunkSize, Plan.Length - start);
        Volatile.Write(ref *slot, start + 1);
        return true;
    }

    /// <summary>Sets the stop word unless it is set already: the first reason wins.</summary>
    public void Stop(MapStop reason) =>
        Interlocked.CompareExchange(ref *(int*)(_block + MapControlLayout.StopOffset), (int)reason, (int)MapStop.None);

    /// <summary>The first index of the chunk <paramref name="worker"/> is mapping; -1 between chunks.</summary>
    public long ChunkOf(int worker) => Volatile.Read(ref *((long*)(_block + MapControlLayout.SlotsOffset) + worker)) - 1;

    /// <summary>Frees the native block, or unmaps the segment (the creator's release ends it once no worker maps it).</summary>
    public void Dispose()
    {
        if (_block is null)
            return;
        if (_view is null)
        {
            NativeMemory.AlignedFree(_block);
        }
        else
        {
            _view.SafeMemoryMappedViewHandle.ReleasePointer();
            _view.Dispose();
            _segment!.Release(_isCreator);
        }
        _block = null;
    }

    private static byte* Acquire(MemoryMappedViewAccessor view)
    {
        byte* pointer = null;
        view.SafeMemoryMappedViewHandle.AcquirePointer(ref pointer);
        return pointer + view.PointerOffset;
    }
}
