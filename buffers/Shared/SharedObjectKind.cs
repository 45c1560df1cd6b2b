namespace Puma.Buffers;

/// <summary>What a shared segment holds: written in its header, checked by every process that maps it.</summary>
internal enum SharedObjectKind
{
    /// <summary>A <see cref="SharedArray{T}"/>.</summary>
    Array = 1,

    /// <summary>A <see cref="SharedValue{T}"/>.</summary>
    Value = 2,

    /// <summary>A <see cref="SharedDictionary{TKey, TValue}"/>.</summary>
    Dictionary = 3,
}
