using System.Threading.Channels;
using Puma.Runnables;

namespace HostedPipeline;

/// <summary>Squares every number. The sample places it in a child process.</summary>
public sealed class Square : Runnable
{
    private long _count;

    public required ChannelReader<int> Input { get; init; }

    public required ChannelWriter<long> Output { get; init; }

    protected override void Configure(Handlers on) => on
        .Input(Input, async (x, ct) =>
        {
            _count++;
            await Output.WriteAsync((long)x * x, ct);
        })
        .InputCompleted(Input, _ => Log.Information("Squared {Count} numbers in process {Pid}", _count, Environment.ProcessId));
}
