using System.Collections.Concurrent;
using System.Threading.Channels;
using Puma.Buffers.SharedMemory;

namespace Puma.Runnables;

/// <summary>
/// What Puma does with a port's channel end without knowing its item type at compile time: one instance per item
/// type, made once by <see cref="For"/>, so that callers use a typed path instead of reflection by method name.
/// </summary>
internal abstract class PortElement
{
    private static readonly ConcurrentDictionary<Type, PortElement> ByType = new();

    /// <summary>The helper for items of <paramref name="elementType"/>.</summary>
    public static PortElement For(Type elementType) =>
        ByType.GetOrAdd(elementType, static t => (PortElement)Activator.CreateInstance(typeof(PortElement<>).MakeGenericType(t))!);

    /// <summary>Completes <paramref name="writer"/> (a <see cref="ChannelWriter{T}"/> of this item type) with <paramref name="error"/>.</summary>
    /// <returns>False when it was already completed.</returns>
    public abstract bool TryComplete(object writer, Exception? error);

    /// <summary>A <see cref="ChannelReader{T}"/> of this item type on <paramref name="ring"/>'s reader slot <paramref name="slot"/>.</summary>
    public abstract object CreateReader(SharedMemoryRing ring, int slot);

    /// <summary>A <see cref="ChannelWriter{T}"/> of this item type on <paramref name="ring"/>.</summary>
    public abstract object CreateWriter(SharedMemoryRing ring);
}

/// <summary>The <see cref="PortElement"/> of items of type <typeparamref name="T"/>.</summary>
/// <typeparam name="T">The item type.</typeparam>
internal sealed class PortElement<T> : PortElement
{
    /// <inheritdoc/>
    public override bool TryComplete(object writer, Exception? error) => ((ChannelWriter<T>)writer).TryComplete(error);

    /// <inheritdoc/>
    public override object CreateReader(SharedMemoryRing ring, int slot) => ring.CreateReader<T>(slot);

    /// <inheritdoc/>
    public override object CreateWriter(SharedMemoryRing ring) => ring.CreateWriter<T>();
}
