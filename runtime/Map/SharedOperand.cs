namespace Puma.Runtime.Map;

/// <summary>A shared array as a worker process finds it: its name, its segment, its shape and element type.</summary>
/// <param name="Name">The array's name in its runtime.</param>
/// <param name="Segment">The segment's name (what a copy in another process maps).</param>
/// <param name="Lengths">Its lengths, one per dimension (checked against the segment's header when it is mapped).</param>
/// <param name="ElementType">The element type's full name, for error messages.</param>
/// <param name="ElementSize">The element size in bytes, checked against the kernel's type in the worker.</param>
internal sealed record SharedOperand(string Name, string Segment, int[] Lengths, string ElementType, int ElementSize)
{
    /// <summary>The number of elements.</summary>
    public int Length => Lengths.Aggregate(1, (count, length) => count * length);
}
