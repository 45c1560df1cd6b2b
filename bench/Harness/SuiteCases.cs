namespace Puma.Bench.Harness;

/// <summary>
/// The cases of a suite that measures one figure at a time (control, cluster): each case prints its line, and a case
/// that throws becomes a failed measurement with the reason instead of ending the suite.
/// </summary>
/// <param name="suite">The suite's name, for the measurements.</param>
/// <param name="output">Where the progress lines go.</param>
/// <param name="transportWidth">The width of the transport column of the progress lines.</param>
internal sealed class SuiteCases(string suite, TextWriter output, int transportWidth)
{
    /// <summary>Runs <paramref name="measure"/>, printing its figures, or FAILED and the reason.</summary>
    public IEnumerable<Measurement> Guard(string caseName, string transport, string metric, string unit, Func<IEnumerable<Measurement>> measure)
    {
        output.Write($"  {caseName,-15} {transport.PadRight(transportWidth)} ");
        try
        {
            var rows = measure().ToArray();
            output.WriteLine(string.Join(", ", rows.Select(r => $"{r.Metric} {ResultTable.Format(r.Value)} {r.Unit}")));
            return rows;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            output.WriteLine($"FAILED: {e.GetType().Name}: {e.Message}");
            return [Measurement.Failed(suite, caseName, transport, metric, unit, $"{e.GetType().Name}: {e.Message}")];
        }
    }

    /// <summary>One figure: <paramref name="once"/> run once to warm up, then <paramref name="repeats"/> samples, guarded.</summary>
    public Measurement Measure(string caseName, string transport, string metric, string unit, int repeats, Func<double> once) =>
        Guard(caseName, transport, metric, unit, () =>
        {
            once(); // warm-up
            var samples = new List<double>();
            for (var i = 0; i < repeats; i++)
                samples.Add(once());
            return [new Measurement(suite, caseName, transport, metric, unit, samples)];
        }).Single();
}
