using System.Threading.Channels;
using Puma.Runnables;

namespace Puma.Bench.Pipeline;

/// <summary>The middle stage: forwards every message unchanged (an identity processor).</summary>
/// <typeparam name="T">The message type.</typeparam>
public abstract class PipelineProcessor<T> : Runnable
{
    /// <summary>The input port.</summary>
    public required ChannelReader<T> Input { get; init; }

    /// <summary>The output port.</summary>
    public required ChannelWriter<T> Output { get; init; }

    /// <inheritdoc/>
    protected override void Configure(Handlers on) =>
        on.Input(Input, (message, ct) => Output.TryWrite(message) ? default : Output.WriteAsync(message, ct))
          .Request<StageReady, bool>(_ => true);
}

/// <summary>The processor of <see cref="SmallMessage"/>s.</summary>
public sealed class SmallProcessor : PipelineProcessor<SmallMessage>;

/// <summary>The processor of <see cref="LargeMessage"/>s.</summary>
public sealed class LargeProcessor : PipelineProcessor<LargeMessage>;

/// <summary>The processor of <see cref="PooledMessage"/>s.</summary>
public sealed class PooledProcessor : PipelineProcessor<PooledMessage>;
