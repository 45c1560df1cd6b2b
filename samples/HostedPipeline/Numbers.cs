using System.Threading.Channels;
using Puma.Runnables;

namespace HostedPipeline;

/// <summary>Writes 1, 2, ..., Count, then ends (its output completes).</summary>
public sealed class Numbers : Runnable
{
    private int _next = 1;

    public required ChannelWriter<int> Output { get; init; }

    public int Count { get; set; }

    protected override void Configure(Handlers on) => on.Produce(async ct =>
    {
        if (_next > Count)
            return false;
        await Output.WriteAsync(_next++, ct);
        return true;
    });
}
