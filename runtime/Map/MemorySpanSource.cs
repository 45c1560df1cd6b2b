namespace Puma.Runtime.Map;

/// <summary>Elements in a <see cref="Memory{T}"/> of this process (an array, or a shared array's memory).</summary>
internal sealed class MemorySpanSource<T>(Memory<T> memory) : MapSpanSource<T>
    where T : unmanaged
{
    public override int Length => memory.Length;

    public override Span<T> Slice(int worker, long start, int length) => memory.Span.Slice((int)start, length);
}
