namespace Puma.Bench.Harness;

/// <summary>
/// One reported figure: the median of <see cref="Samples"/> for a (suite, case, transport, metric).
/// <see cref="Error"/> is set instead when the measurement failed (a child died, data did not verify).
/// </summary>
internal sealed record Measurement(
    string Suite,
    string Case,
    string Transport,
    string Metric,
    string Unit,
    IReadOnlyList<double> Samples,
    string? Error = null)
{
    /// <summary>The median of the samples (NaN when failed).</summary>
    public double Value => Error is null && Samples.Count > 0 ? Statistics.Median(Samples) : double.NaN;

    /// <summary>A failed measurement with the reason.</summary>
    public static Measurement Failed(string suite, string @case, string transport, string metric, string unit, string error) =>
        new(suite, @case, transport, metric, unit, [], error);
}
