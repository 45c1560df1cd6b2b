namespace Puma.Runtime;

/// <summary>
/// The input of a map over indices: the kernel (a <c>MapKernel&lt;long, TOut&gt;</c>) receives
/// <see cref="Start"/>, <see cref="Start"/> + 1, ... and its result for index <c>Start + i</c> goes to element
/// <c>i</c> of the output.
/// </summary>
/// <param name="Start">The first index.</param>
/// <param name="Count">How many indices, at least 0.</param>
public readonly record struct MapRange(long Start, int Count);
