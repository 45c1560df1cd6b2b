using System.Threading.Channels;
using Puma.Buffers;
using Puma.Runnables;

namespace Puma.Runtime.Tests.Runnables;

/// <summary>The README's leased processor, verbatim: inverts every byte of each frame into a claimed output frame.</summary>
public sealed class Invert : Runnable
{
    /// <summary>The frames in.</summary>
    public required ChannelReader<byte[]> Input { get; init; }

    /// <summary>The inverted frames out.</summary>
    public required ChannelWriter<byte[]> Output { get; init; }

    /// <inheritdoc/>
    protected override void Configure(Handlers on) => on
        .InputLeased(Input, async (frame, ct) =>
        {
            var target = await Output.ClaimAsync(frame.Length, ct); // room in the output ring; synchronous when there is room
            var from = frame.Span;
            var to = target.Span;
            for (var i = 0; i < from.Length; i++)
                to[i] = (byte)~from[i];
            Output.Commit();                                          // or Output.Abort(): never delivered
        });
}
