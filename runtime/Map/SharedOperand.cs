namespace Puma.Runtime.Map;

/// <summary>A shared array as a worker process finds it: the segment, where its elements start, how many, of what.</summary>
/// <param name="Segment">The segment's name (see <c>RingSegment.Open</c>).</param>
/// <param name="Offset">The byte offset of element 0 in the segment.</param>
/// <param name="Length">The number of elements.</param>
/// <param name="ElementType">The element type's full name, for error messages.</param>
/// <param name="ElementSize">The element size in bytes, checked against the kernel's type in the worker.</param>
internal sealed record SharedOperand(string Segment, long Offset, int Length, string ElementType, int ElementSize);
