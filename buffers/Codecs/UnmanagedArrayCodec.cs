using System.Buffers;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Puma.Buffers.Codecs;

/// <summary>Copies an array of unmanaged structs as its raw bytes.</summary>
/// <typeparam name="T">A struct without reference-type fields.</typeparam>
public sealed class UnmanagedArrayCodec<T> : IBufferCodec<T[]> where T : struct
{
    /// <summary>Creates the codec.</summary>
    /// <exception cref="NotSupportedException"><typeparamref name="T"/> contains references.</exception>
    public UnmanagedArrayCodec()
    {
        if (RuntimeHelpers.IsReferenceOrContainsReferences<T>())
            throw new NotSupportedException($"{typeof(T)} contains references and cannot be copied as bytes.");
    }

    /// <inheritdoc />
    public bool TryGetByteCount(T[] value, out int byteCount)
    {
        byteCount = checked(value.Length * Unsafe.SizeOf<T>());
        return true;
    }

    /// <inheritdoc />
    public void Encode(T[] value, Span<byte> destination) => MemoryMarshal.AsBytes(value.AsSpan()).CopyTo(destination);

    /// <inheritdoc />
    public void Encode(T[] value, IBufferWriter<byte> destination) => destination.Write(MemoryMarshal.AsBytes(value.AsSpan()));

    /// <inheritdoc />
    public T[] Decode(ReadOnlySpan<byte> source)
    {
        if (source.Length % Unsafe.SizeOf<T>() != 0)
            throw new BufferCorruptedException($"A {typeof(T)}[] message is {source.Length} bytes, not a multiple of {Unsafe.SizeOf<T>()}.");
        var items = MemoryMarshal.Cast<byte, T>(source);
        var array = GC.AllocateUninitializedArray<T>(items.Length); // copied over at once: not zeroed first
        items.CopyTo(array);
        return array;
    }
}
