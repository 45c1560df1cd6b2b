using Puma.Buffers;
using Puma.Runnables;

namespace Puma.Runtime.Tests.Runnables;

/// <summary>Writes Output[i, j] = 3 * Input[i, j] + j in place (a pasha-style kernel) and its pid into Pid[0].</summary>
public sealed class Tripler : Runnable
{
    public required SharedArray<float> Input { get; init; }

    public required SharedArray<float> Output { get; init; }

    public required SharedArray<int> Pid { get; init; }

    protected override Task RunAsync(CancellationToken cancellationToken)
    {
        for (var i = 0; i < Input.GetLength(0); i++)
        {
            for (var j = 0; j < Input.GetLength(1); j++)
                Output[i, j] = (3 * Input[i, j]) + j;
        }
        Pid[0] = Environment.ProcessId;
        return Task.CompletedTask;
    }
}
