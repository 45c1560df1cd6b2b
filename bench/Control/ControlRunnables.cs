using System.Threading.Channels;
using Puma.Bench.Startup;
using Puma.Runnables;

namespace Puma.Bench.Control;

/// <summary>The head of the setup pipeline: an output it never writes to; answers <see cref="WhoAreYou"/>.</summary>
public sealed class IdleSource : Runnable
{
    /// <summary>Its output.</summary>
    public required ChannelWriter<int> Output { get; init; }

    /// <inheritdoc/>
    protected override void Configure(Handlers on) => on
        .Request<WhoAreYou, int>(_ => Environment.ProcessId)
        .Tick(TimeSpan.FromSeconds(10), () => { });
}

/// <summary>The middle of the setup pipeline: forwards its input; answers <see cref="WhoAreYou"/>.</summary>
public sealed class Relay : Runnable
{
    /// <summary>Its input.</summary>
    public required ChannelReader<int> Input { get; init; }

    /// <summary>Its output.</summary>
    public required ChannelWriter<int> Output { get; init; }

    /// <inheritdoc/>
    protected override void Configure(Handlers on) => on
        .Input(Input, (item, ct) => Output.WriteAsync(item, ct))
        .Request<WhoAreYou, int>(_ => Environment.ProcessId);
}

/// <summary>The tail of the setup pipeline: drops its input; answers <see cref="WhoAreYou"/>.</summary>
public sealed class Drain : Runnable
{
    /// <summary>Its input.</summary>
    public required ChannelReader<int> Input { get; init; }

    /// <inheritdoc/>
    protected override void Configure(Handlers on) => on
        .Input(Input, _ => { })
        .Request<WhoAreYou, int>(_ => Environment.ProcessId);
}
