using Puma.Buffers;
using Puma.Runnables;

namespace Puma.Bench.Events;

/// <summary>
/// The far side of the event ping-pong: waits for <see cref="Ping"/>, resets it, spins <see cref="DelayUs"/>, sets
/// <see cref="Pong"/>; on a dedicated thread, so a wait that completes synchronously (its spin caught the Set) costs
/// no scheduling. Placed in a thread or a process; runs until stopped.
/// </summary>
public sealed class EventPonger : Runnable
{
    /// <summary>The event the bench sets.</summary>
    public required PumaEvent Ping { get; init; }

    /// <summary>The event this runnable sets in reply.</summary>
    public required PumaEvent Pong { get; init; }

    /// <summary>Microseconds to spin before replying (so that the bench's waiter parks); 0 for none.</summary>
    public int DelayUs { get; set; }

    /// <inheritdoc/>
    protected override Task RunAsync(CancellationToken cancellationToken) =>
        Task.Factory.StartNew(() => Serve(cancellationToken), cancellationToken, TaskCreationOptions.LongRunning, TaskScheduler.Default);

    private void Serve(CancellationToken cancellationToken)
    {
        while (true)
        {
            var wait = Ping.WaitAsync(cancellationToken);
            if (!wait.IsCompleted) wait.AsTask().GetAwaiter().GetResult();
            Ping.Reset();
            SpinDelay.For(DelayUs);
            Pong.Set();
        }
    }
}
