namespace Puma.Buffers.Leases;

/// <summary>How an item type is laid out as bytes, for leases and claims.</summary>
internal enum ItemLayoutKind
{
    /// <summary>Not a byte layout: leases and claims throw.</summary>
    Unsupported,

    /// <summary><c>byte[]</c>: the array's bytes.</summary>
    ByteArray,

    /// <summary><see cref="ReadOnlyMemory{T}"/> of bytes.</summary>
    ByteMemory,

    /// <summary><see cref="System.Buffers.IMemoryOwner{T}"/> of bytes: its memory's bytes.</summary>
    MemoryOwner,

    /// <summary>An array of unmanaged structs: the bytes of its elements.</summary>
    UnmanagedArray,

    /// <summary>An unmanaged struct: its bytes.</summary>
    Unmanaged,
}
