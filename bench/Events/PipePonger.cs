using Puma.Runnables;

namespace Puma.Bench.Events;

/// <summary>
/// The far side of the pipe baseline: reads a byte from the <see cref="PingPath"/> FIFO, spins <see cref="DelayUs"/>,
/// writes it back to the <see cref="PongPath"/> FIFO, until the bench closes its end. Placed in a thread or a process.
/// </summary>
public sealed class PipePonger : Runnable
{
    /// <summary>The FIFO the bench writes.</summary>
    public required string PingPath { get; init; }

    /// <summary>The FIFO this runnable writes.</summary>
    public required string PongPath { get; init; }

    /// <summary>Microseconds to spin before replying; 0 for none.</summary>
    public int DelayUs { get; set; }

    /// <inheritdoc/>
    protected override Task RunAsync(CancellationToken cancellationToken) =>
        Task.Factory.StartNew(Serve, cancellationToken, TaskCreationOptions.LongRunning, TaskScheduler.Default);

    private void Serve()
    {
        // The same order as the bench opens them (ping, then pong), so the blocking FIFO opens pair up.
        using var ping = new FileStream(PingPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, bufferSize: 0);
        using var pong = new FileStream(PongPath, FileMode.Open, FileAccess.Write, FileShare.ReadWrite, bufferSize: 0);
        Span<byte> one = stackalloc byte[1];
        while (ping.Read(one) == 1)
        {
            SpinDelay.For(DelayUs);
            pong.Write(one);
        }
    }
}
