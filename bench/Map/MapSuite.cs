using System.Diagnostics;
using Puma.Bench.Harness;
using Puma.Buffers;
using Puma.Runtime;

namespace Puma.Bench.Map;

/// <summary>
/// The <c>map</c> suite (issue 15): a parallel map over shared arrays, serial vs thread workers vs process workers vs
/// <see cref="Parallel.For(int, int, ParallelOptions, Action{int})"/> over the same chunks with the same kernel, in one
/// run. Cases: <c>memory</c> (x * 3 over a 256 MiB float array into another), <c>compute</c> (64 sin/cos rounds per
/// element over a 4 MiB slice: the whole array would take minutes serially), and the process workers' cost:
/// <c>startup</c> (a new runtime's first map in processes, which starts the workers) and <c>overhead</c> (a map of one
/// chunk with the pool warm).
/// </summary>
internal sealed class MapSuite : ISuite
{
    private const int MemoryElements = 64 << 20; // 256 MiB of floats
    private const int ComputeElements = 1 << 20; // 4 MiB of floats
    private const int QuickMemoryElements = 16 << 20;
    private const int QuickComputeElements = 1 << 18;

    /// <inheritdoc/>
    public string Name => "map";

    /// <inheritdoc/>
    public string Description => "parallel map over shared arrays: serial vs threads vs processes vs Parallel.For, memory- and compute-bound; worker start-up";

    /// <inheritdoc/>
    public IReadOnlyList<Measurement> Run(CliOptions options, TextWriter output)
    {
        var repeats = options.Quick && !options.RepeatsGiven ? 3 : options.Repeats;
        var workers = Environment.ProcessorCount;
        var rows = new List<Measurement>();
        var cases = new SuiteCases(Name, output, 14);
        var memory = options.Quick ? QuickMemoryElements : MemoryElements;
        var compute = options.Quick ? QuickComputeElements : ComputeElements;

        var runtime = new PumaRuntime();
        try
        {
            if (options.IncludesCase("memory"))
                rows.AddRange(Compare(runtime, cases, options, "memory", new Triple(), memory, workers, repeats));
            if (options.IncludesCase("compute"))
                rows.AddRange(Compare(runtime, cases, options, "compute", new SinCos(), compute, workers, repeats));
        }
        finally
        {
            runtime.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }

        if (options.IncludesCase("startup") && options.Includes("processes"))
            rows.Add(cases.Measure("startup", "processes", "time", "ms", repeats, () => FirstProcessMap(workers)));
        if (options.IncludesCase("overhead") && options.Includes("processes"))
            rows.AddRange(cases.Guard("overhead", "processes", "time", "us", () => [WarmMapOverhead(workers, repeats)]));

        output.WriteLine();
        ResultTable.Write(output,
            $"map: {workers} workers, median of {repeats} (after one warm-up); memory = x*3 over {memory / (1 << 20)} Mi floats into another shared array, "
            + $"compute = 64 sin/cos rounds per element over {compute / 1048576.0:0.##} Mi floats; M elem/s (higher is better); "
            + "startup = a new runtime's first map in processes (starts the workers); overhead = a 1-chunk map, pool warm",
            rows, "serial", "implementation");
        WriteTargets(output, rows);
        return rows;
    }

    private IEnumerable<Measurement> Compare(PumaRuntime runtime, SuiteCases cases, CliOptions options, string caseName, MapKernel<float, float> kernel, int length, int workers, int repeats)
    {
        using var input = runtime.CreateSharedArray<float>($"{caseName}-in", length);
        using var result = runtime.CreateSharedArrayLike($"{caseName}-out", input);
        var span = input.AsSpan();
        for (var i = 0; i < span.Length; i++)
            span[i] = (i % 1000) * 0.001f;
        var chunk = Math.Clamp(length / (workers * 16), 1, 65_536);
        var implementations = new (string Name, Action Map)[]
        {
            ("serial", () => runtime.MapAsync(kernel, input, result, MapOptions.Serial with { ChunkSize = chunk }).GetAwaiter().GetResult()),
            ("threads", () => runtime.MapAsync(kernel, input, result, MapOptions.Threads(workers) with { ChunkSize = chunk }).GetAwaiter().GetResult()),
            ("processes", () => runtime.MapAsync(kernel, input, result, MapOptions.Processes(workers) with { ChunkSize = chunk }).GetAwaiter().GetResult()),
            ("parallel-for", () => ParallelFor(kernel, input, result, chunk, workers)),
        };
        foreach (var (name, map) in implementations)
        {
            if (!options.Includes(name))
                continue;
            yield return cases.Measure(caseName, name, "rate", "M elem/s", repeats, () =>
            {
                result.AsSpan().Clear();
                var t0 = Stopwatch.GetTimestamp();
                map();
                var seconds = Stopwatch.GetElapsedTime(t0).TotalSeconds;
                Verify(kernel, input, result);
                return length / seconds / 1e6;
            });
        }
    }

    /// <summary>The baseline: Parallel.For over the same chunks, calling the same kernel's chunk method in this process.</summary>
    private static void ParallelFor(MapKernel<float, float> kernel, SharedArray<float> input, SharedArray<float> output, int chunk, int workers)
    {
        var chunks = (input.Length + chunk - 1) / chunk;
        Parallel.For(0, chunks, new ParallelOptions { MaxDegreeOfParallelism = workers }, c =>
        {
            var start = c * chunk;
            var length = Math.Min(chunk, input.Length - start);
            kernel.MapChunk(start, input.AsSpan(start, length), output.AsSpan(start, length));
        });
    }

    private static void Verify(MapKernel<float, float> kernel, SharedArray<float> input, SharedArray<float> output)
    {
        var step = Math.Max(1, input.Length / 4096);
        for (var i = 0; i < input.Length; i += step)
        {
            if (output[i] != kernel.Map(input[i]))
                throw new InvalidOperationException($"element {i}: {output[i]} instead of {kernel.Map(input[i])}");
        }
        if (output[input.Length - 1] != kernel.Map(input[input.Length - 1]))
            throw new InvalidOperationException("the last element was not mapped");
    }

    /// <summary>A new runtime's first map in processes: starting the workers, plus a map of a few elements.</summary>
    private static double FirstProcessMap(int workers)
    {
        var runtime = new PumaRuntime();
        try
        {
            var data = runtime.CreateSharedArray<float>("tiny", workers);
            var t0 = Stopwatch.GetTimestamp();
            runtime.MapAsync(new Nothing(), data, data, MapOptions.Processes(workers) with { ChunkSize = 1 }).GetAwaiter().GetResult();
            return Stopwatch.GetElapsedTime(t0).TotalMilliseconds;
        }
        finally
        {
            runtime.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }
    }

    /// <summary>The cost of one map with the workers running: a map of one element per worker, p50 of many.</summary>
    private Measurement WarmMapOverhead(int workers, int repeats)
    {
        var runtime = new PumaRuntime();
        try
        {
            var data = runtime.CreateSharedArray<float>("tiny", workers);
            var options = MapOptions.Processes(workers) with { ChunkSize = 1 };
            runtime.MapAsync(new Nothing(), data, data, options).GetAwaiter().GetResult();
            var samples = new List<double>();
            for (var r = 0; r < repeats; r++)
            {
                var times = new double[200];
                for (var i = 0; i < times.Length; i++)
                {
                    var t0 = Stopwatch.GetTimestamp();
                    runtime.MapAsync(new Nothing(), data, data, options).GetAwaiter().GetResult();
                    times[i] = Stopwatch.GetElapsedTime(t0).TotalMicroseconds;
                }
                samples.Add(Statistics.Median(times));
            }
            return new Measurement(Name, "overhead", "processes", "time", "us", samples);
        }
        finally
        {
            runtime.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }
    }

    private static void WriteTargets(TextWriter output, List<Measurement> rows)
    {
        double Rate(string caseName, string implementation) =>
            rows.FirstOrDefault(r => r.Case == caseName && r.Transport == implementation && r.Error is null)?.Value ?? double.NaN;
        output.WriteLine($"targets: compute processes/serial {Rate("compute", "processes") / Rate("compute", "serial"):0.00} (>= 1.8), "
            + $"compute processes/Parallel.For {Rate("compute", "processes") / Rate("compute", "parallel-for"):0.00} (>= 0.9), "
            + $"memory processes/Parallel.For {Rate("memory", "processes") / Rate("memory", "parallel-for"):0.00} (>= 0.9)");
    }
}
