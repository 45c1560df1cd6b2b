using System.Reflection;
using System.Threading.Channels;
using Puma.Buffers.SharedMemory;
using Puma.Runnables;

namespace Puma.Runtime.Hosting;

/// <summary>
/// The child side of a buffer that crosses processes: attaches the ring named in a port binding and
/// creates the typed channel end the runnable's property needs; when the loop ends, gives back the
/// writer references and closes the reader slots (the parent decides the buffer's completion).
/// </summary>
internal static class SharedMemoryPorts
{
    private static readonly Dictionary<string, SharedMemoryRing> s_rings = new(StringComparer.Ordinal);

    public static object? Attach(PortBinding binding, Type propertyType)
    {
        if (binding.Segment is null)
            return PortPlaceholder.Create(binding, propertyType); // not a Puma buffer (infrastructure tests): an end that throws if used
        if (!RunnablePort.TryGetPortType(propertyType, out var isInput, out var element))
            throw new InvalidOperationException($"Port of buffer '{binding.BufferName}' is not a channel end type: {propertyType}.");
        SharedMemoryRing ring;
        lock (s_rings)
        {
            if (!s_rings.TryGetValue(binding.Segment, out ring!))
                s_rings[binding.Segment] = ring = SharedMemoryRing.Attach(binding.Segment);
        }
        var create = typeof(SharedMemoryPorts).GetMethod(isInput ? nameof(CreateReader) : nameof(CreateWriter), BindingFlags.NonPublic | BindingFlags.Static)!
            .MakeGenericMethod(element);
        return create.Invoke(null, BindingFlags.DoNotWrapExceptions, null, [ring, binding.ReaderSlot], null);
    }

    /// <summary>Gives back the runnable's writer references and closes its reader slots.</summary>
    public static void Release(Runnable runnable, Exception? error)
    {
        foreach (var port in RunnablePort.Discover(runnable))
        {
            if (port.Value is null)
                continue;
            if (!port.IsInput)
                port.Value.GetType().GetMethod("ReleaseWriter", Type.EmptyTypes)?.Invoke(port.Value, null);
            else if (port.Value is IDisposable reader)
                reader.Dispose();
        }
    }

    private static ChannelReader<T> CreateReader<T>(SharedMemoryRing ring, int slot) => ring.CreateReader<T>(slot);

    private static ChannelWriter<T> CreateWriter<T>(SharedMemoryRing ring, int slot) => ring.CreateWriter<T>();
}
