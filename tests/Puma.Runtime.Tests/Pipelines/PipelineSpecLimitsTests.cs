using Puma.Buffers;
using Puma.Runnables;
using Puma.Runtime.Pipelines;
using Puma.Runtime.Tests.Runnables;
using static Puma.Runtime.Tests.Pipelines.PipelineSpecRunTests;
using static Puma.Runtime.Tests.TestSupport;

namespace Puma.Runtime.Tests.Pipelines;

/// <summary>What a spec cannot describe or hold is said up front: by ToSpec, by validation, by AddPipeline, never first at start.</summary>
public class PipelineSpecLimitsTests
{
    [Fact]
    public async Task ToSpecRefusesABufferWhoseEndsTheApplicationHolds()
    {
        await using var runtime = NewRuntime();
        var fed = runtime.CreateBuffer<Frame>("fed", 4);
        var drained = runtime.CreateBuffer<Frame>("drained", 4);
        var copies = runtime.CreateBuffer<Frame>("copies", 4, BufferMode.Broadcast);
        _ = fed.Writer; // the application writes "fed" itself
        runtime.Add(new TallyConsumer { Name = "tally", Input = fed.Reader });
        runtime.Add(new SpecSource { Name = "source", Output = drained.Writer });
        _ = drained.Reader; // and reads "drained" itself
        runtime.Add(new SpecSource { Name = "copier", Output = copies.Writer });
        runtime.Add(new TallyConsumer { Name = "first", Input = copies.AddReader() });
        _ = copies.AddReader(); // a second broadcast end kept by the application

        var error = Assert.Throws<PipelineSpecException>(runtime.ToSpec);

        Assert.Equal(
            [
                "Buffer 'fed': its writer is held by the application (taken but bound to no runnable); a spec cannot describe it.",
                "Buffer 'drained': reader end 0 is held by the application (taken but bound to no runnable); a spec cannot describe it.",
                "Buffer 'copies': reader end 1 is held by the application (taken but bound to no runnable); a spec cannot describe it.",
            ],
            error.Problems);
    }

    [Fact]
    public async Task ToSpecRefusesAStartedRuntime()
    {
        await using var runtime = NewRuntime();
        runtime.Add(new Ticker { Name = "t", IntervalMs = 1000 });
        await runtime.StartAsync();

        var error = Assert.Throws<InvalidOperationException>(runtime.ToSpec);

        Assert.Equal("The runtime has already started: add buffers and runnables before StartAsync.", error.Message);
    }

    [Fact]
    public async Task ACompetingBufferAcrossProcessesWithTwoThreadReadersIsAProblemBeforeStart()
    {
        var spec = new PipelineSpec
        {
            Buffers = [BufferSpec.For<Frame>("work", 4, BufferMode.Competing, capacityBytes: 32 * 1024)],
            Runnables =
            [
                RunnableSpec.For<SpecSource>("source", Placement.Process) with { Ports = Bind(("Output", "work")) },
                RunnableSpec.For<TallyConsumer>("a") with { Ports = Bind(("Input", "work")) },
                RunnableSpec.For<TallyConsumer>("b") with { Ports = Bind(("Input", "work")) },
            ],
        };
        await using var runtime = NewRuntime();

        Assert.Equal(
            ["Buffer 'work' is Competing across processes, and 2 of its readers run in threads: place them in processes, or put at most one in a thread."],
            spec.GetProblems());
        Assert.Throws<PipelineSpecException>(() => runtime.AddPipeline(spec));
        Assert.Empty(runtime.RunnableNames);
        Assert.Empty(spec.With("b", Placement.Process).GetProblems()); // one thread reader is fine
    }

    [Fact]
    public async Task EveryRunnableWhoseSetterThrowsIsListedAndNothingIsAdded()
    {
        var spec = new PipelineSpec
        {
            Runnables =
            [
                RunnableSpec.For<Picky>("low") with { Configuration = new() { ["Level"] = -1 } },
                RunnableSpec.For<Picky>("fine") with { Configuration = new() { ["Level"] = 1 } },
                RunnableSpec.For<Picky>("lower") with { Configuration = new() { ["Level"] = -2 } },
            ],
        };
        await using var runtime = NewRuntime();

        var error = Assert.Throws<PipelineSpecException>(() => runtime.AddPipeline(spec));

        Assert.Equal(2, error.Problems.Count);
        Assert.StartsWith("Runnable 'low' cannot be built: ", error.Problems[0]);
        Assert.Contains("its setter threw ArgumentOutOfRangeException: Level must be at least 0, got -1.", error.Problems[0]);
        Assert.StartsWith("Runnable 'lower' cannot be built: ", error.Problems[1]);
        Assert.Contains("Level must be at least 0, got -2.", error.Problems[1]);
        Assert.Empty(runtime.RunnableNames);
    }

    [Fact]
    public async Task SaveAsyncReplacesTheFileAndLeavesNothingBesideIt()
    {
        var directory = Directory.CreateTempSubdirectory("puma-spec-save-");
        try
        {
            var path = Path.Combine(directory.FullName, "pipeline.json");
            await File.WriteAllTextAsync(path, "old");
            var spec = new PipelineSpec { Buffers = [BufferSpec.For<Frame>("frames", 4)] };

            await spec.SaveAsync(path);

            Assert.Equal(spec, await PipelineSpec.LoadAsync(path));
            Assert.Equal(["pipeline.json"], directory.GetFiles().Select(f => f.Name));
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }
}

/// <summary>Has no ports; its Level setter refuses a negative value.</summary>
public sealed class Picky : Runnable
{
    private int _level;

    public int Level
    {
        get => _level;
        set => _level = value >= 0 ? value : throw new ArgumentOutOfRangeException(nameof(value), value, $"Level must be at least 0, got {value}.");
    }
}

/// <summary>Spec edits for tests.</summary>
internal static class SpecEdits
{
    /// <summary>The spec with runnable <paramref name="name"/> moved to <paramref name="placement"/>.</summary>
    public static PipelineSpec With(this PipelineSpec spec, string name, Placement placement) =>
        spec with { Runnables = [.. spec.Runnables.Select(r => r.Name == name ? r with { Placement = placement } : r)] };
}
