using Puma.Runnables;

namespace Puma.Runtime.Tests.Runnables;

/// <summary>Reports the statuses 1..Count as soon as it runs, then completes.</summary>
public sealed class StatusBurst : Runnable
{
    public int Count { get; set; } = 10;

    protected override Task RunAsync(CancellationToken ct)
    {
        for (var i = 1; i <= Count; i++)
            Context.ReportStatus(i);
        return Task.CompletedTask;
    }
}

/// <summary>
/// Its Boom command reports "handling", waits until the runnable is stopped, then throws: a
/// failure caused by the stop itself.
/// </summary>
public sealed class FailsWhenStopped : Runnable
{
    protected override void Configure(Handlers on) => on.Command<Boom>(async (boom, ct) =>
    {
        Context.ReportStatus("handling");
        try
        {
            await Task.Delay(Timeout.Infinite, ct);
        }
        catch (OperationCanceledException)
        {
            throw new InvalidOperationException(boom.Message);
        }
    });
}

/// <summary>Answers every GetState with null.</summary>
public sealed class NullAnswerer : Runnable
{
    protected override void Configure(Handlers on) => on.Request<GetState, string?>(_ => null);
}
