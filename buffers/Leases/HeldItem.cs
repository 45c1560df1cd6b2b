namespace Puma.Buffers.Leases;

/// <summary>
/// What an in-process lease gives back when it ends (an owner to dispose, a claimed array to
/// recycle), taken once: a second dispose of the same lease, on any thread, finds it gone.
/// </summary>
internal sealed class HeldItem(object item)
{
    private object? _item = item;

    /// <summary>The item, the first time only; null afterwards.</summary>
    public object? Take() => Interlocked.Exchange(ref _item, null);
}
