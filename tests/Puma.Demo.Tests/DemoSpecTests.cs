using System.Text.Json;

namespace Puma.Demo.Tests;

/// <summary>Issue 14: the demo writes its pipeline as data (--save FILE) and runs a saved one (--load FILE).</summary>
public class DemoSpecTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task TheDemoSavesItsPipelineAndRunsTheSavedOneWithTheSameResult()
    {
        var path = Path.Combine(Path.GetTempPath(), $"puma-demo-spec-{Guid.NewGuid():N}.json");
        try
        {
            await using (var save = DemoProcess.Start("--placement", "mixed", "--count", "2000", "--frame-size", "64", "--save", path))
            {
                Assert.Equal(0, await save.ExitCodeAsync(Patience));
                Assert.Contains($"Saved the pipeline (producer, processor, consumer) to {path}", save.Output);
                Assert.DoesNotContain("Runnable processor runs in child process", save.Output); // saved, not run
            }

            using (var spec = JsonDocument.Parse(await File.ReadAllTextAsync(path)))
            {
                var runnables = spec.RootElement.GetProperty("Runnables").EnumerateArray().ToArray();
                Assert.Equal(["producer:Thread", "processor:Process", "consumer:Thread"], runnables.Select(r => $"{r.GetProperty("Name").GetString()}:{r.GetProperty("Placement").GetString()}"));
                Assert.Equal("""{"Count":2000,"FrameSize":64}""", JsonSerializer.Serialize(runnables[0].GetProperty("Configuration")));
                Assert.Equal(["raw:Puma.Demo.Pipeline.Frame, Puma.Demo", "scaled:Puma.Demo.Pipeline.Frame, Puma.Demo"],
                    spec.RootElement.GetProperty("Buffers").EnumerateArray().Select(b => $"{b.GetProperty("Name").GetString()}:{b.GetProperty("ItemType").GetString()}"));
            }

            await using var load = DemoProcess.Start("--load", path);
            Assert.Equal(0, await load.ExitCodeAsync(Patience));
            Assert.Contains($"Puma demo summary (loaded from {path})", load.Output);
            Assert.Matches(@"frames\s+2\D?000 of 2\D?000, 64 samples each, out of order 0, bad checksums 0", load.Output);
            Assert.Matches(@"Runnable processor runs in child process \d+", load.Output);
            Assert.DoesNotMatch(@"Runnable (producer|consumer) runs in child process", load.Output);
            Assert.Contains("result        OK", load.Output);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public async Task ASavedPipelineWithAProblemIsRefusedWithTheProblem()
    {
        var path = Path.Combine(Path.GetTempPath(), $"puma-demo-spec-{Guid.NewGuid():N}.json");
        try
        {
            await using (var save = DemoProcess.Start("--placement", "thread", "--count", "10", "--save", path))
                Assert.Equal(0, await save.ExitCodeAsync(Patience));
            var json = await File.ReadAllTextAsync(path);
            Assert.Contains("\"Gain\": 2,", json);
            await File.WriteAllTextAsync(path, json.Replace("\"Gain\": 2,", "\"Gain\": \"loud\","));

            await using var load = DemoProcess.Start("--load", path);

            Assert.Equal(2, await load.ExitCodeAsync(Patience));
            Assert.Contains("stderr: The pipeline spec has 1 problem:", load.Output);
            Assert.Contains("stderr:  - Runnable 'processor': configuration 'Gain' is \"loud\", which does not convert to Single", load.Output);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Theory]
    [InlineData("--load", "p.json", "--count", "5")]
    [InlineData("--load", "p.json", "--save", "q.json")]
    public async Task LoadTakesNoOptionThatShapesThePipeline(params string[] args)
    {
        await using var demo = DemoProcess.Start(args);

        Assert.Equal(2, await demo.ExitCodeAsync(Patience));
        Assert.Contains("stderr: --", demo.Output);
    }
}
