namespace Puma.Bench.Harness;

/// <summary>Median and percentiles (nearest rank) of samples.</summary>
internal static class Statistics
{
    /// <summary>The median; the mean of the two middle values for an even count.</summary>
    public static double Median(IReadOnlyList<double> samples)
    {
        if (samples.Count == 0) return double.NaN;
        double[] s = [.. samples];
        Array.Sort(s);
        var mid = s.Length / 2;
        return s.Length % 2 == 1 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
    }

    /// <summary>The nearest-rank percentile <paramref name="p"/> (0..100) of already sorted values.</summary>
    public static long PercentileOfSorted(ReadOnlySpan<long> sorted, double p)
    {
        if (sorted.IsEmpty) return 0;
        var rank = (int)Math.Ceiling(p / 100.0 * sorted.Length);
        return sorted[Math.Clamp(rank - 1, 0, sorted.Length - 1)];
    }

    /// <summary>(max - min) / median in percent: how noisy the repeats were.</summary>
    public static double SpreadPercent(IReadOnlyList<double> samples)
    {
        if (samples.Count < 2) return 0;
        var med = Median(samples);
        return med == 0 ? 0 : (samples.Max() - samples.Min()) / Math.Abs(med) * 100;
    }
}
