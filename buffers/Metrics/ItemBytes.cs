using System.Runtime.CompilerServices;

namespace Puma.Buffers.Metrics;

/// <summary>
/// The bytes an in-process buffer counts per item: the item's size for an unmanaged struct (what a shared-memory ring
/// carries for it), 0 for other types, which an in-process channel passes by reference without encoding them.
/// </summary>
/// <typeparam name="T">The item type.</typeparam>
internal static class ItemBytes<T>
{
    /// <summary>Bytes per item, a constant for the JIT.</summary>
    public static readonly int Size = RuntimeHelpers.IsReferenceOrContainsReferences<T>() ? 0 : Unsafe.SizeOf<T>();
}
