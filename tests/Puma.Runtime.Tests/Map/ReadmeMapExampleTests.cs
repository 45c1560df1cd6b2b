using static Puma.Runtime.Tests.TestSupport;

namespace Puma.Runtime.Tests.Map;

/// <summary>The README's "Parallel map" example, as written there (in both worker contexts).</summary>
public sealed class ReadmeMapExampleTests
{
    [Theory]
    [InlineData(MapContext.Threads)]
    [InlineData(MapContext.Processes)]
    public async Task TheReadmeExampleRuns(MapContext context)
    {
        await using var runtime = NewRuntime();
        var input = runtime.CreateSharedArray<float>("input", 1024, 1024);
        var output = runtime.CreateSharedArrayLike("output", input);                       // pasha: alloc like
        input.AsSpan().Fill(2);
        await runtime.MapAsync(new Scale { Factor = 3 }, input, output, new MapOptions { Context = context, Workers = 2 }).WaitAsync(Patience);

        Assert.Equal(6f, output[1023, 1023]);
        Assert.All(output.AsSpan().ToArray(), x => Assert.Equal(6f, x));
    }
}

public sealed class Scale : MapKernel<float, float>
{
    public float Factor { get; init; } = 3;

    public override float Map(float x) => x * Factor;
}
