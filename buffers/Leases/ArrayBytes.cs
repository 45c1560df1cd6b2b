namespace Puma.Buffers.Leases;

/// <summary>
/// The bytes of arrays of an unmanaged element type only known at run time (the <c>T[]</c> of a
/// buffer of <c>T[]</c>): wraps an array's elements as <see cref="Memory{T}"/> of bytes, or allocates one.
/// </summary>
internal abstract class ArrayBytes
{
    /// <summary>The helper for arrays of <paramref name="elementType"/> (an unmanaged struct).</summary>
    public static ArrayBytes For(Type elementType) =>
        (ArrayBytes)Activator.CreateInstance(typeof(ArrayBytes<>).MakeGenericType(elementType))!;

    /// <summary>The bytes of <paramref name="array"/>'s elements, no copy.</summary>
    public abstract Memory<byte> Of(object array);

    /// <summary>A new array of <paramref name="byteLength"/> bytes' worth of elements, uninitialized.</summary>
    public abstract object Allocate(int byteLength);
}

/// <inheritdoc />
internal sealed class ArrayBytes<TElement> : ArrayBytes where TElement : struct
{
    /// <inheritdoc />
    public override Memory<byte> Of(object array) => new ElementBytes<TElement>((TElement[])array).Memory;

    /// <inheritdoc />
    public override object Allocate(int byteLength) =>
        GC.AllocateUninitializedArray<TElement>(byteLength / System.Runtime.CompilerServices.Unsafe.SizeOf<TElement>());
}
