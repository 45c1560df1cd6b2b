namespace Puma.Buffers;

/// <summary>Thrown when a new key is added to a <see cref="SharedDictionary{TKey, TValue}"/> that holds its capacity of entries.</summary>
public sealed class SharedDictionaryFullException : InvalidOperationException
{
    /// <summary>Creates the exception for dictionary <paramref name="dictionaryName"/> of <paramref name="capacity"/> entries.</summary>
    /// <param name="dictionaryName">The dictionary's name.</param>
    /// <param name="capacity">Its capacity.</param>
    public SharedDictionaryFullException(string dictionaryName, int capacity)
        : base($"Shared dictionary '{dictionaryName}' is full: it holds {capacity} entries, its capacity. Create it with a larger capacity.")
    {
        DictionaryName = dictionaryName;
        Capacity = capacity;
    }

    /// <summary>The dictionary's name.</summary>
    public string DictionaryName { get; }

    /// <summary>The dictionary's capacity, which it holds.</summary>
    public int Capacity { get; }
}
