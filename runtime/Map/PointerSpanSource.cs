namespace Puma.Runtime.Map;

/// <summary>Elements at a pointer into a mapped shared-memory segment (a worker process's view of a shared array).</summary>
internal sealed unsafe class PointerSpanSource<T>(T* elements, int length) : MapSpanSource<T>
    where T : unmanaged
{
    public override int Length => length;

    public override Span<T> Slice(int worker, long start, int count) => new(elements + start, count);
}
