namespace Puma.Runtime.Map;

/// <summary>A map's input or output as its workers see it: a span over any chunk.</summary>
/// <typeparam name="T">The element type.</typeparam>
internal abstract class MapSpanSource<T>
    where T : unmanaged
{
    /// <summary>The number of elements.</summary>
    public abstract int Length { get; }

    /// <summary>The elements <paramref name="start"/> .. <paramref name="start"/> + <paramref name="length"/>, for <paramref name="worker"/>.</summary>
    public abstract Span<T> Slice(int worker, long start, int length);
}
