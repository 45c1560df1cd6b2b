using System.Threading.Channels;
using Puma.Runnables;

namespace HostedPipeline;

/// <summary>Adds up what it reads and hands the total to a DI service when its input completes (a thread runnable can hold any object).</summary>
public sealed class Total : Runnable
{
    private long _items;
    private long _sum;

    public required ChannelReader<long> Input { get; init; }

    public required PipelineTotals Totals { get; init; }

    protected override void Configure(Handlers on) => on
        .Input(Input, x =>
        {
            _items++;
            _sum += x;
        })
        .InputCompleted(Input, _ =>
        {
            Totals.Record(_items, _sum);
            Log.Information("Read {Items} items, sum {Sum}", _items, _sum);
        });
}
