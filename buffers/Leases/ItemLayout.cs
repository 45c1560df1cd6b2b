using System.Buffers;
using System.Runtime.CompilerServices;

namespace Puma.Buffers.Leases;

/// <summary>
/// What a lease or a claim of <typeparamref name="T"/> items means in bytes: the kind of layout and,
/// for arrays and structs, the element size. Computed once per type.
/// </summary>
/// <typeparam name="T">The item type.</typeparam>
internal static class ItemLayout<T>
{
    /// <summary>The layout of <typeparamref name="T"/>.</summary>
    public static readonly ItemLayoutKind Kind = Classify(out ElementSize);

    /// <summary>Bytes per element (arrays) or per item (structs); 1 for byte layouts.</summary>
    public static readonly int ElementSize;

    /// <summary>Throws when items of <typeparamref name="T"/> cannot be leased or claimed as bytes.</summary>
    /// <param name="operation">What was attempted ("lease", "claim"), for the message.</param>
    /// <exception cref="InvalidOperationException"><typeparamref name="T"/> has no byte layout; the message names it.</exception>
    public static void EnsureSupported(string operation)
    {
        if (Kind == ItemLayoutKind.Unsupported)
            throw Unsupported(operation);
    }

    /// <summary>The exception for an item type without a byte layout.</summary>
    public static InvalidOperationException Unsupported(string operation) =>
        new($"Cannot {operation} items of type {TypeName(typeof(T))} as bytes: leases and claims serve byte[], ReadOnlyMemory<byte>, " +
            "IMemoryOwner<byte>, arrays of unmanaged structs and unmanaged structs; read other types with TryRead/ReadAsync and write them with TryWrite/WriteAsync.");

    /// <summary>Throws when <paramref name="length"/> bytes cannot make one item of <typeparamref name="T"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The length is negative, not a multiple of the element size, or not the struct's size.</exception>
    public static void EnsureLength(int length)
    {
        if (length < 0)
            throw new ArgumentOutOfRangeException(nameof(length), length, $"A claim of {TypeName(typeof(T))} needs a length of at least 0 bytes, got {length}.");
        if (Kind == ItemLayoutKind.Unmanaged && length != ElementSize)
            throw new ArgumentOutOfRangeException(nameof(length), length, $"A claim of {TypeName(typeof(T))} must be exactly its size, {ElementSize} bytes, got {length}.");
        if (Kind == ItemLayoutKind.UnmanagedArray && length % ElementSize != 0)
            throw new ArgumentOutOfRangeException(nameof(length), length, $"A claim of {TypeName(typeof(T))} must be a multiple of its element size, {ElementSize} bytes, got {length}.");
    }

    private static ItemLayoutKind Classify(out int elementSize)
    {
        elementSize = 1;
        var type = typeof(T);
        if (type == typeof(byte[]))
            return ItemLayoutKind.ByteArray;
        if (type == typeof(ReadOnlyMemory<byte>))
            return ItemLayoutKind.ByteMemory;
        if (type == typeof(IMemoryOwner<byte>))
            return ItemLayoutKind.MemoryOwner;
        if (type.IsValueType && !RuntimeHelpers.IsReferenceOrContainsReferences<T>() && !type.IsByRefLike)
        {
            elementSize = Unsafe.SizeOf<T>();
            return ItemLayoutKind.Unmanaged;
        }
        if (type.IsArray && type.GetArrayRank() == 1 && type.GetElementType() is { IsValueType: true } element && UnmanagedElement.SizeOf(element) is { } size)
        {
            elementSize = size;
            return ItemLayoutKind.UnmanagedArray;
        }
        return ItemLayoutKind.Unsupported;
    }

    private static string TypeName(Type type) =>
        type.IsGenericType ? $"{type.Name[..type.Name.IndexOf('`')]}<{string.Join(", ", type.GetGenericArguments().Select(a => TypeName(a)))}>" : type.Name;
}
