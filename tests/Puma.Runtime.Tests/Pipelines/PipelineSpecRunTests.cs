using Puma.Buffers;
using Puma.Runnables;
using Puma.Runtime.Pipelines;
using Puma.Runtime.Tests.Runnables;
using static Puma.Runtime.Tests.TestSupport;

namespace Puma.Runtime.Tests.Pipelines;

/// <summary>A spec taken from a runtime, saved, loaded and run: the same graph and the same results, in threads and processes.</summary>
public class PipelineSpecRunTests
{
    private const string FrameType = "Puma.Runtime.Tests.Runnables.Frame, Puma.Runtime.Tests";

    // Frame n: (n * 0.5 + [1, 2, 3][n % 3]) * 3, n = 0..999: 1.5 * 499500 + 3 * (334 * 1 + 333 * 2 + 333 * 3).
    private const double ScaledSum = 755_247;

    [Theory]
    [MemberData(nameof(Placements), MemberType = typeof(TestSupport))]
    public async Task ASpecTakenFromARuntimeSavedAndLoadedRunsTheSameGraphWithTheSameResults(Placement placement)
    {
        await using var original = NewRuntime();
        var raw = original.CreateBuffer<Frame>("raw", 64, capacityBytes: 64 * 1024);
        var scaled = original.CreateBuffer<Frame>("scaled", 32);
        original.Add(new SpecSource { Name = "source", Output = raw.Writer, Count = 1000, Gain = 0.5, Offsets = [1, 2, 3], Label = "spec" });
        original.Add(new Scale { Name = "scale", Input = raw.Reader, Output = scaled.Writer, Gain = 3 }, placement);
        original.Add(new TallyConsumer { Name = "tally", Input = scaled.Reader }, placement);

        var spec = original.ToSpec();
        var path = Path.Combine(Path.GetTempPath(), $"puma-spec-{Guid.NewGuid():N}.json");
        PipelineSpec loaded;
        try
        {
            await spec.SaveAsync(path);
            loaded = await PipelineSpec.LoadAsync(path);
        }
        finally
        {
            File.Delete(path);
        }

        Assert.Equal(
            [
                new BufferSpec { Name = "raw", ItemType = FrameType, Capacity = 64, CapacityBytes = 64 * 1024, Mode = BufferMode.ManyToOne },
                new BufferSpec { Name = "scaled", ItemType = FrameType, Capacity = 32, CapacityBytes = null, Mode = BufferMode.ManyToOne },
            ],
            spec.Buffers);
        Assert.Equal(["source", "scale", "tally"], spec.Runnables.Select(r => r.Name));
        Assert.Equal([Placement.Thread, placement, placement], spec.Runnables.Select(r => r.Placement));
        Assert.Equal("Puma.Runtime.Tests.Pipelines.SpecSource, Puma.Runtime.Tests", spec.Runnables[0].Type);
        Assert.Equal("""{"Count":1000,"Day":"Monday","Gain":0.5,"Label":"spec","Offsets":[1,2,3],"Pause":"00:00:00"}""", spec.Runnables[0].Configuration.ToJsonString());
        Assert.Equal("""{"FailAt":-1,"FailRuns":2147483647,"Gain":3}""", spec.Runnables[1].Configuration.ToJsonString());
        Assert.Equal(new Dictionary<string, string> { ["Input"] = "raw", ["Output"] = "scaled" }, spec.Runnables[1].Ports);
        Assert.Equal(spec, loaded);

        await using var rebuilt = NewRuntime();
        rebuilt.AddPipeline(loaded);
        Assert.Equal(spec, rebuilt.ToSpec());
        Assert.Equal(original.Runnables.Select(r => (r.Name, r.Placement)), rebuilt.Runnables.Select(r => (r.Name, r.Placement)));

        var expected = new Tally("tally", 1000, ScaledSum, InOrder: true);
        Assert.Equal([expected], await RunAsync(original));
        Assert.Equal([expected], await RunAsync(rebuilt));
    }

    [Theory]
    [MemberData(nameof(Placements), MemberType = typeof(TestSupport))]
    public async Task BroadcastAndCompetingBuffersOfALoadedSpecGiveEachPortItsEnd(Placement placement)
    {
        var spec = new PipelineSpec
        {
            Buffers =
            [
                BufferSpec.For<Frame>("all", 16, BufferMode.Broadcast, capacityBytes: 32 * 1024),
                BufferSpec.For<Frame>("work", 16, BufferMode.Competing, capacityBytes: 32 * 1024),
                BufferSpec.For<Frame>("merged", 16, capacityBytes: 32 * 1024),
            ],
            Runnables =
            [
                RunnableSpec.For<SpecSource>("source") with { Configuration = new() { ["Count"] = 300 }, Ports = Bind(("Output", "all")) },
                RunnableSpec.For<TallyConsumer>("copy-1", placement) with { Ports = Bind(("Input", "all")) },
                RunnableSpec.For<Scale>("to-work", placement) with { Configuration = new() { ["Gain"] = 1 }, Ports = Bind(("Input", "all"), ("Output", "work")) },
                RunnableSpec.For<Scale>("worker-1", placement) with { Configuration = new() { ["Gain"] = 2 }, Ports = Bind(("Input", "work"), ("Output", "merged")) },
                RunnableSpec.For<Scale>("worker-2", placement) with { Configuration = new() { ["Gain"] = 2 }, Ports = Bind(("Input", "work"), ("Output", "merged")) },
                RunnableSpec.For<TallyConsumer>("merged-tally") with { Ports = Bind(("Input", "merged")) },
            ],
        };
        Assert.Empty(spec.GetProblems());
        await using var runtime = NewRuntime();
        runtime.AddPipeline(PipelineSpec.FromJson(spec.ToJson()));

        var tallies = (await RunAsync(runtime)).ToDictionary(t => t.Reader);

        const double sum = 299 * 300 / 2; // Value = Seq
        Assert.Equal(new Tally("copy-1", 300, sum, InOrder: true), tallies["copy-1"]);
        Assert.Equal((300L, 2 * sum), (tallies["merged-tally"].Count, tallies["merged-tally"].ValueSum)); // two workers share the items: any order
        Assert.Equal(2, tallies.Count);
    }

    [Fact]
    public async Task ASpecBuiltInCodeRunsAndIsTheJsonItSaysItIs()
    {
        var spec = new PipelineSpec
        {
            Buffers = [BufferSpec.For<Frame>("frames", 8)],
            Runnables =
            [
                RunnableSpec.For<SpecSource>("source") with { Configuration = new() { ["Count"] = 5, ["Offsets"] = new System.Text.Json.Nodes.JsonArray(10), ["Day"] = "Friday" }, Ports = Bind(("Output", "frames")) },
                RunnableSpec.For<TallyConsumer>("sink") with { Ports = Bind(("Input", "frames")) },
            ],
        };

        Assert.Equal(
            """
            {
              "Buffers": [
                {
                  "Name": "frames",
                  "ItemType": "Puma.Runtime.Tests.Runnables.Frame, Puma.Runtime.Tests",
                  "Capacity": 8,
                  "Mode": "ManyToOne"
                }
              ],
              "Runnables": [
                {
                  "Name": "source",
                  "Type": "Puma.Runtime.Tests.Pipelines.SpecSource, Puma.Runtime.Tests",
                  "Placement": "Thread",
                  "Configuration": {
                    "Count": 5,
                    "Offsets": [
                      10
                    ],
                    "Day": "Friday"
                  },
                  "Ports": {
                    "Output": "frames"
                  }
                },
                {
                  "Name": "sink",
                  "Type": "Puma.Runtime.Tests.Pipelines.TallyConsumer, Puma.Runtime.Tests",
                  "Placement": "Thread",
                  "Configuration": {},
                  "Ports": {
                    "Input": "frames"
                  }
                }
              ]
            }
            """.ReplaceLineEndings("\n"),
            spec.ToJson().ReplaceLineEndings("\n"));
        Assert.Equal(spec, PipelineSpec.FromJson(spec.ToJson()));

        await using var runtime = NewRuntime();
        runtime.AddPipeline(spec);
        Assert.Equal("Friday", runtime.ToSpec().Runnables[0].Configuration["Day"]!.GetValue<string>()); // the enum's name reached the runnable
        Assert.Equal([new Tally("sink", 5, 0 + 1 + 2 + 3 + 4 + 5 * 10, InOrder: true)], await RunAsync(runtime));
    }

    [Fact]
    public void ANodePlacementKeepsItsRoleThroughJson()
    {
        var spec = new PipelineSpec
        {
            Buffers = [BufferSpec.For<Frame>("frames", 8)],
            Runnables =
            [
                RunnableSpec.For<SpecSource>("source", Placement.Node) with { NodeRole = "gpu", Ports = Bind(("Output", "frames")) },
                RunnableSpec.For<TallyConsumer>("sink", Placement.Node) with { Ports = Bind(("Input", "frames")) },
            ],
        };

        var loaded = PipelineSpec.FromJson(spec.ToJson());

        Assert.Equal(spec, loaded);
        Assert.Equal(["gpu", null], loaded.Runnables.Select(r => r.NodeRole));
        Assert.Empty(loaded.GetProblems());
    }

    internal static Dictionary<string, string> Bind(params (string Port, string Buffer)[] ports) =>
        ports.ToDictionary(p => p.Port, p => p.Buffer);

    /// <summary>Runs the runtime to its end and returns the tallies its consumers reported.</summary>
    private static async Task<List<Tally>> RunAsync(PumaRuntime runtime)
    {
        await runtime.StartAsync();
        var tallies = new List<Tally>();
        using var cts = new CancellationTokenSource(Patience);
        await foreach (var report in runtime.Status.ReadAllAsync(cts.Token))
        {
            if (report.Value is Tally tally)
                tallies.Add(tally);
        }

        await runtime.WaitAsync().WaitAsync(Patience);
        return tallies;
    }
}
