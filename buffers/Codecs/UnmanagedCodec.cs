using System.Buffers;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Puma.Buffers.Codecs;

/// <summary>Copies an unmanaged struct (no references) as its raw bytes.</summary>
/// <typeparam name="T">A struct without reference-type fields.</typeparam>
public sealed class UnmanagedCodec<T> : IBufferCodec<T>, IRawBytesCodec where T : struct
{
    /// <summary>Creates the codec.</summary>
    /// <exception cref="NotSupportedException"><typeparamref name="T"/> contains references.</exception>
    public UnmanagedCodec()
    {
        if (RuntimeHelpers.IsReferenceOrContainsReferences<T>())
            throw new NotSupportedException($"{typeof(T)} contains references and cannot be copied as bytes.");
    }

    /// <inheritdoc />
    public bool TryGetByteCount(T value, out int byteCount)
    {
        byteCount = Unsafe.SizeOf<T>();
        return true;
    }

    /// <inheritdoc />
    public void Encode(T value, Span<byte> destination) => MemoryMarshal.Write(destination, in value);

    /// <inheritdoc />
    public void Encode(T value, IBufferWriter<byte> destination)
    {
        var size = Unsafe.SizeOf<T>();
        MemoryMarshal.Write(destination.GetSpan(size), in value);
        destination.Advance(size);
    }

    /// <inheritdoc />
    public T Decode(ReadOnlySpan<byte> source)
    {
        if (source.Length != Unsafe.SizeOf<T>())
            throw new BufferCorruptedException($"A {typeof(T)} message is {source.Length} bytes, not {Unsafe.SizeOf<T>()}.");
        return MemoryMarshal.Read<T>(source);
    }
}
