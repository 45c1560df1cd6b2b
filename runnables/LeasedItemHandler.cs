namespace Puma.Runnables;

/// <summary>
/// Handles one item of a leased input (<see cref="Handlers.InputLeased{T}(System.Threading.Channels.ChannelReader{T}, LeasedItemHandler, int)"/>):
/// its bytes, valid only during the call.
/// </summary>
/// <param name="item">The item's bytes: in the shared-memory ring, or the item's own memory in process. Copy what you keep.</param>
public delegate void LeasedItemHandler(ReadOnlySpan<byte> item);
