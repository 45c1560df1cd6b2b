using System.Runtime.CompilerServices;

namespace Puma.Buffers.Leases;

/// <summary>The size of an array element type that holds no references, found by reflection once per type.</summary>
internal static class UnmanagedElement
{
    /// <summary>The element's size in bytes, or null when it holds references.</summary>
    public static int? SizeOf(Type element)
    {
        var containsReferences = (bool)typeof(RuntimeHelpers).GetMethod(nameof(RuntimeHelpers.IsReferenceOrContainsReferences))!
            .MakeGenericMethod(element).Invoke(null, null)!;
        if (containsReferences)
            return null;
        return (int)typeof(Unsafe).GetMethod(nameof(Unsafe.SizeOf))!.MakeGenericMethod(element).Invoke(null, null)!;
    }
}
