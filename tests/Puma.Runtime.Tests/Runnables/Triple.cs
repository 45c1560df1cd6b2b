using Puma.Buffers;
using Puma.Runnables;

namespace Puma.Runtime.Tests.Runnables;

/// <summary>The README's shared-state example, verbatim: triples an array in place, counts itself.</summary>
public sealed class Triple : Runnable
{
    public required SharedArray<float> Input { get; init; }
    public required SharedArray<float> Output { get; init; }
    public required SharedValue<long> Done { get; init; }
    public required SharedDictionary<string, long> Counts { get; init; }

    protected override Task RunAsync(CancellationToken ct)
    {
        var input = Input.AsSpan();
        var output = Output.AsSpan();
        for (var i = 0; i < input.Length; i++)
            output[i] = input[i] * 3;
        Done.Increment();
        Counts.Increment(Name);
        return Task.CompletedTask;
    }
}
