namespace Puma.Buffers;

// The change waits: apart, because code that awaits cannot be in an unsafe context.
public sealed partial class SharedValue<T>
{
    /// <summary>
    /// Completes at the next change of the value (a write, exchange, successful compare-exchange or add, from any
    /// process) after the call, with the value then. Parks on a futex: no CPU is used while waiting.
    /// </summary>
    /// <remarks>
    /// A change made while this call is starting (before it has registered) may be missed: then it waits for the one
    /// after. To act on every change, read the value and pass it to <see cref="WaitForChangeAsync(T, CancellationToken)"/>.
    /// </remarks>
    /// <param name="cancellationToken">Ends the wait with <see cref="OperationCanceledException"/>.</param>
    /// <returns>The value after the change (or a later one).</returns>
    /// <exception cref="ObjectDisposedException">The value was disposed before or during the wait.</exception>
    public async ValueTask<T> WaitForChangeAsync(CancellationToken cancellationToken = default) =>
        FromBits(await SharedValueWait.NextChangeAsync(_mapping, null, cancellationToken).ConfigureAwait(false));

    /// <summary>
    /// Completes when the value is not (bit for bit) <paramref name="current"/>: at once if it already differs, else
    /// at the first change that makes it differ. Read a value, act on it, then wait for it to move on: no change is missed.
    /// </summary>
    /// <param name="current">The value seen last.</param>
    /// <param name="cancellationToken">Ends the wait with <see cref="OperationCanceledException"/>.</param>
    /// <returns>The value, which differs from <paramref name="current"/>.</returns>
    /// <exception cref="ObjectDisposedException">The value was disposed before or during the wait.</exception>
    public async ValueTask<T> WaitForChangeAsync(T current, CancellationToken cancellationToken = default) =>
        FromBits(await SharedValueWait.NextChangeAsync(_mapping, ToBits(current), cancellationToken).ConfigureAwait(false));
}
