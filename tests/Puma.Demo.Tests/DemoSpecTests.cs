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
    [InlineData("--count", "--load runs the pipeline saved in p.json: --count cannot be given with it (save the pipeline with them instead).")]
    [InlineData("--save", "--save and --load cannot be used together.")]
    public async Task LoadTakesNoOptionThatShapesThePipeline(string option, string message)
    {
        await using var demo = DemoProcess.Start("--load", "p.json", option, option == "--count" ? "5" : "q.json");

        Assert.Equal(2, await demo.ExitCodeAsync(Patience));
        Assert.Contains("stderr: " + message, demo.Output);
        Assert.DoesNotContain("p.json: Could not find", demo.Output);
    }

    [Theory]
    [InlineData("""{ "Runnables": [ null ] }""", "Runnables[0] is null.")]
    [InlineData("""{ "Buffers": [ { "Name": "raw", "ItemType": "System.Int32" } ], "Runnables": null }""", "Buffer 'raw' has no writer: bind an output port (a ChannelWriter) of a runnable to it in its Ports.")]
    public async Task ASavedPipelineWithNullRunnablesIsRefusedWithItsProblems(string json, string problem)
    {
        var path = Path.Combine(Path.GetTempPath(), $"puma-demo-spec-{Guid.NewGuid():N}.json");
        try
        {
            await File.WriteAllTextAsync(path, json);

            await using var load = DemoProcess.Start("--load", path);

            Assert.Equal(2, await load.ExitCodeAsync(Patience));
            Assert.Contains("stderr:  - " + problem, load.Output);
            Assert.DoesNotContain("NullReferenceException", load.Output);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
