using Puma.Buffers.SharedMemory;
using Puma.Runnables;
using Puma.Runtime.Wire;

namespace Puma.Runtime.Child;

/// <summary>
/// The child side of a buffer that crosses processes: attaches the ring named in a port binding and
/// creates the typed channel end the runnable's property needs; when the loop ends, gives back the
/// writer references and closes the reader slots (the parent decides the buffer's completion).
/// </summary>
internal static class SharedMemoryPorts
{
    private static readonly Dictionary<string, SharedMemoryRing> Rings = new(StringComparer.Ordinal);

    public static object? Attach(PortBinding binding, Type propertyType)
    {
        if (binding.Segment is null)
            return PortPlaceholder.Create(binding, propertyType); // not a Puma buffer (infrastructure tests): an end that throws if used
        if (!RunnablePort.TryGetPortType(propertyType, out var isInput, out var element))
            throw new InvalidOperationException($"Port of buffer '{binding.BufferName}' is not a channel end type: {propertyType}.");
        SharedMemoryRing ring;
        lock (Rings)
        {
            if (!Rings.TryGetValue(binding.Segment, out ring!))
            {
                Rings[binding.Segment] = ring = SharedMemoryRing.Attach(binding.Segment);
                ring.BufferName = binding.BufferName;
            }
        }
        var ends = PortElement.For(element);
        return isInput ? ends.CreateReader(ring, binding.ReaderSlot) : ends.CreateWriter(ring);
    }

    /// <summary>
    /// When the loop ended by itself: gives back the runnable's writer references and closes its reader
    /// slots. When it failed (a restart may follow): detaches them instead, so that a restarted child
    /// takes the same writer references and reads on from the same slot positions.
    /// </summary>
    public static void Release(Runnable runnable, bool failed)
    {
        foreach (var port in RunnablePort.Discover(runnable))
        {
            if (port.Value is not ISharedMemoryPort end)
                continue;
            if (failed)
                end.Detach();
            else
                end.Release();
        }
    }
}
