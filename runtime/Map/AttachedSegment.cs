using System.IO.MemoryMappedFiles;
using Puma.Buffers.SharedMemory;

namespace Puma.Runtime.Map;

/// <summary>A segment a worker process mapped to reach a shared array: the mapping and its base pointer.</summary>
internal sealed unsafe class AttachedSegment : IDisposable
{
    private readonly RingSegment _segment;
    private readonly MemoryMappedViewAccessor _view;

    public AttachedSegment(string name)
    {
        _segment = RingSegment.Open(name, 0);
        try
        {
            _view = _segment.Map.CreateViewAccessor(0, _segment.Length, MemoryMappedFileAccess.ReadWrite);
            byte* pointer = null;
            _view.SafeMemoryMappedViewHandle.AcquirePointer(ref pointer);
            Base = pointer + _view.PointerOffset;
        }
        catch
        {
            _view?.Dispose();
            _segment.Release(isCreator: false);
            throw;
        }
    }

    /// <summary>The first byte of the segment.</summary>
    public byte* Base { get; }

    /// <summary>The segment's length in bytes.</summary>
    public long Length => _segment.Length;

    public void Dispose()
    {
        _view.SafeMemoryMappedViewHandle.ReleasePointer();
        _view.Dispose();
        _segment.Release(isCreator: false);
    }
}
