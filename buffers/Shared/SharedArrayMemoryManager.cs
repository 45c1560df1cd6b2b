using System.Buffers;

namespace Puma.Buffers;

/// <summary>The <see cref="MemoryManager{T}"/> behind <see cref="SharedArray{T}.Memory"/>: the mapping is never moved, so pinning is free.</summary>
internal sealed unsafe class SharedArrayMemoryManager<T> : MemoryManager<T>
    where T : unmanaged
{
    private readonly SharedArray<T> _array;

    public SharedArrayMemoryManager(SharedArray<T> array) => _array = array;

    /// <summary>A <see cref="Memory{T}"/> over every element (maps nothing until it is used).</summary>
    public Memory<T> CreateMemory() => CreateMemory(_array.Length);

    public override Span<T> GetSpan() => _array.AsSpan();

    public override MemoryHandle Pin(int elementIndex = 0)
    {
        if ((uint)elementIndex > (uint)_array.Length)
            throw new ArgumentOutOfRangeException(nameof(elementIndex), elementIndex, $"Shared array '{_array.Name}' has {_array.Length} elements.");
        return new MemoryHandle(_array.Address + elementIndex);
    }

    public override void Unpin()
    {
    }

    protected override void Dispose(bool disposing)
    {
    }
}
