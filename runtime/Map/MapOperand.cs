namespace Puma.Runtime.Map;

/// <summary>A map's input or output array: its memory in this process, and how a worker process finds it (null when it is not shared).</summary>
/// <param name="Memory">The elements, for serial and thread workers.</param>
/// <param name="Shared">The shared segment holding them, for process workers; null for memory of this process only.</param>
/// <param name="Description">What it is, for error messages (e.g. "a float[]", "shared array 'frames'").</param>
internal sealed record MapOperand<T>(Memory<T> Memory, SharedOperand? Shared, string Description)
    where T : unmanaged
{
    public int Length => Memory.Length;
}
