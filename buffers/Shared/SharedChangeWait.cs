using Puma.Buffers.SharedMemory;

namespace Puma.Buffers;

/// <summary>
/// Waits for a change counter in shared memory to move: a short spin, then a park on a futex (any process's writer
/// wakes it) on a dedicated thread, so no thread-pool thread blocks. Cancellation wakes the park.
/// </summary>
internal static class SharedChangeWait
{
    private const int SpinChecks = 64;
    private const int ParkTimeoutMs = 250;

    /// <summary>Completes when the int at <paramref name="counter"/> no longer holds <paramref name="seen"/>.</summary>
    /// <param name="counter">The change counter's address (mapped until the wait ends: see <see cref="SharedMapping.Enter"/>).</param>
    /// <param name="seen">The counter's value when the wait began.</param>
    /// <param name="mapping">The mapping: its disposal ends the wait with <see cref="ObjectDisposedException"/>.</param>
    /// <param name="cancellationToken">Ends the wait with <see cref="OperationCanceledException"/>.</param>
    public static async ValueTask UntilChangedAsync(nint counter, int seen, SharedMapping mapping, CancellationToken cancellationToken)
    {
        for (var i = 0; i < SpinChecks; i++)
        {
            if (SharedWords.ReadInt32(counter) != seen)
                return;
            Thread.SpinWait(20);
        }
        cancellationToken.ThrowIfCancellationRequested();
        using var wake = cancellationToken.Register(() => WakeAll(counter));
        await Task.Factory.StartNew(() => Park(counter, seen, mapping, cancellationToken), cancellationToken,
            TaskCreationOptions.LongRunning | TaskCreationOptions.DenyChildAttach, TaskScheduler.Default).ConfigureAwait(false);
    }

    /// <summary>Wakes every thread, in any process, parked on <paramref name="counter"/>.</summary>
    public static unsafe void WakeAll(nint counter) => Futex.WakeAll((int*)counter);

    private static unsafe void Park(nint counter, int seen, SharedMapping mapping, CancellationToken cancellationToken)
    {
        while (SharedWords.ReadInt32(counter) == seen)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (mapping.IsDisposed)
                throw new ObjectDisposedException(mapping.ToString());
            Futex.Wait((int*)counter, seen, ParkTimeoutMs);
        }
    }
}
