namespace Puma.Buffers.Codecs;

/// <summary>
/// Marks a codec whose encoding of an item is exactly the item's bytes (an unmanaged struct, <see cref="UnmanagedCodec{T}"/>):
/// ring ends then copy the item in and out themselves, without a codec call per item.
/// </summary>
internal interface IRawBytesCodec;
