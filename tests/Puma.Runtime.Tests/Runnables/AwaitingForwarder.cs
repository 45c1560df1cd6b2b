using System.Threading.Channels;
using Puma.Runnables;

namespace Puma.Runtime.Tests.Runnables;

/// <summary>
/// Forwards each item, then awaits <see cref="Gate"/> (a thread runnable in the test process): the test opens the
/// gate only once the item arrived downstream, so an item held back while its handler awaits would hang the test.
/// </summary>
public sealed class AwaitingForwarder : Runnable
{
    /// <summary>Opened by the test once per item.</summary>
    public static readonly SemaphoreSlim Gate = new(0);

    /// <summary>The input port.</summary>
    public required ChannelReader<int> Input { get; init; }

    /// <summary>The output port.</summary>
    public required ChannelWriter<int> Output { get; init; }

    /// <inheritdoc/>
    protected override void Configure(Handlers on) => on.Input(Input, async (item, ct) =>
    {
        if (!Output.TryWrite(item))
            await Output.WriteAsync(item, ct);
        await Gate.WaitAsync(ct);
    });
}

/// <summary>Reports every item it receives as its status.</summary>
public sealed class ReportingSink : Runnable
{
    /// <summary>The input port.</summary>
    public required ChannelReader<int> Input { get; init; }

    /// <inheritdoc/>
    protected override void Configure(Handlers on) => on.Input(Input, item => Context.ReportStatus(item));
}
