namespace HostedPipeline;

/// <summary>A DI singleton the consumer reports to; Program prints it once the host has stopped.</summary>
public sealed class PipelineTotals
{
    public long Items { get; private set; }

    public long Sum { get; private set; }

    public void Record(long items, long sum) => (Items, Sum) = (items, sum);

    public override string ToString() => $"HostedPipeline: {Items} items, sum of squares {Sum}";
}
