namespace Puma.Bench.Frames;

/// <summary>Durations and counts of one run of the <c>frames</c> suite.</summary>
/// <param name="Repeats">Measured rounds per case; the median is reported.</param>
/// <param name="Quick">Short rounds.</param>
internal sealed record FramesSettings(int Repeats, bool Quick)
{
    /// <summary>Length of one measured round.</summary>
    public TimeSpan Round => Quick ? TimeSpan.FromMilliseconds(200) : TimeSpan.FromSeconds(1);

    /// <summary>Length of the warm-up round before the measured ones (not reported).</summary>
    public TimeSpan WarmUp => Quick ? TimeSpan.FromMilliseconds(300) : TimeSpan.FromSeconds(1);
}
