using Puma.Runnables;
using Puma.Runtime.Tests.Runnables;
using static Puma.Runtime.Tests.TestSupport;

namespace Puma.Runtime.Tests;

/// <summary>The README's shared-state example (<see cref="Triple"/>) prints what the README says, in every placement.</summary>
public class ReadmeSharedExampleTests
{
    [Theory]
    [MemberData(nameof(Placements), MemberType = typeof(TestSupport))]
    public async Task TheExamplePrintsWhatTheReadmeSays(Placement placement)
    {
        await using var runtime = NewRuntime();
        var input = runtime.CreateSharedArray<float>("input", 1024, 1024);
        var output = runtime.CreateSharedArrayLike("output", input);
        var done = runtime.CreateSharedValue<long>("done");
        var counts = runtime.CreateSharedDictionary<string, long>("counts", capacity: 64, maxKeyLength: 32);
        input[3, 4] = 1.5f;
        runtime.Add(new Triple { Input = input, Output = output, Done = done, Counts = counts }, placement);
        await runtime.StartAsync();
        await runtime.WaitAsync().WaitAsync(Patience);

        Assert.Equal("4.5 1 1", $"{output[3, 4]} {done.Read()} {counts["Triple"]}");
    }
}
