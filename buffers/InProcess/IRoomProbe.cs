namespace Puma.Buffers;

/// <summary>An in-process writer that can tell, without waiting or registering a waiter, whether an item fits now.</summary>
internal interface IRoomProbe
{
    /// <summary>True when a write would find room now (another writer may take it first).</summary>
    bool HasRoom { get; }
}
