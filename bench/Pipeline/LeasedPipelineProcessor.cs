using System.Threading.Channels;
using Puma.Buffers;
using Puma.Runnables;

namespace Puma.Bench.Pipeline;

/// <summary>
/// The middle stage of the leased case: an identity processor with one copy, from the input's lease
/// (the record in the input ring) into a claim of the output (a record in the output ring).
/// </summary>
public sealed class LeasedPipelineProcessor : Runnable
{
    /// <summary>The input port.</summary>
    public required ChannelReader<byte[]> Input { get; init; }

    /// <summary>The output port.</summary>
    public required ChannelWriter<byte[]> Output { get; init; }

    /// <inheritdoc/>
    protected override void Configure(Handlers on) =>
        on.InputLeased(Input, async (frame, ct) =>
          {
              var target = await Output.ClaimAsync(frame.Length, ct);
              frame.Span.CopyTo(target.Span);
              Output.Commit();
          })
          .Request<StageReady, bool>(_ => true);
}
