using System.Text.Json.Nodes;
using System.Threading.Channels;
using Puma.Buffers;
using Puma.Runnables;
using Puma.Runtime.Pipelines;
using Puma.Runtime.Tests.Runnables;
using static Puma.Runtime.Tests.Pipelines.PipelineSpecRunTests;
using static Puma.Runtime.Tests.TestSupport;

namespace Puma.Runtime.Tests.Pipelines;

/// <summary>Every problem of a spec is found before anything starts, all at once, each naming its buffer, runnable or port.</summary>
public class PipelineSpecValidationTests
{
    private const string FrameType = "Puma.Runtime.Tests.Runnables.Frame, Puma.Runtime.Tests";

    [Fact]
    public void ASpecWithManyProblemsListsThemAllWithTheirNames()
    {
        var spec = new PipelineSpec
        {
            Buffers =
            [
                BufferSpec.For<Frame>("frames", 16),
                BufferSpec.For<Frame>("frames", 16),
                new BufferSpec { Name = "bad", ItemType = "No.Such.Item, Nowhere", Capacity = 0, CapacityBytes = 1001, Mode = (BufferMode)7 },
                BufferSpec.For<int>("numbers", 4),
                BufferSpec.For<Frame>("lonely", 4),
                new BufferSpec { ItemType = "int", Capacity = 1 },
            ],
            Runnables =
            [
                RunnableSpec.For<SpecSource>("source") with
                {
                    Configuration = new JsonObject { ["Count"] = "many", ["Colour"] = "red", ["Output"] = "frames" },
                    Ports = Bind(("Output", "numbers")),
                },
                RunnableSpec.For<Scale>("scale") with { NodeRole = "gpu", Ports = Bind(("Input", "frames"), ("Output", "missing"), ("Extra", "frames")) },
                RunnableSpec.For<TallyConsumer>("tally"),
                RunnableSpec.For<TallyConsumer>("tally") with { Ports = Bind(("Input", "frames")) },
                new RunnableSpec { Name = "ghost", Type = "Nope.Runnable, Nope", Ports = Bind(("Input", "bad")) },
                new RunnableSpec { Name = "not-a-runnable", Type = FrameType },
                new RunnableSpec { Type = "Puma.Runtime.Tests.Pipelines.TallyConsumer, Puma.Runtime.Tests", Placement = (Placement)9, Ports = Bind(("Input", "frames")) },
            ],
        };

        var error = Assert.Throws<PipelineSpecException>(spec.Validate);

        Assert.Equal(
            [
                "Buffer 'frames' is declared more than once: buffer names must be unique.",
                "Buffer 'bad': item type 'No.Such.Item, Nowhere' is not found (a misspelt name, or its assembly is not beside the application).",
                "Buffer 'bad': capacity must be at least 1 item, got 0.",
                "Buffer 'bad': unknown buffer mode 7; use ManyToOne, Broadcast or Competing.",
                "Buffer 'bad': capacityBytes must be a multiple of 8 in 256..17179869184, got 1001 (try 1008).",
                "Buffers[5] has no name.",
                "Runnable 'source': configuration 'Count' is \"many\", which does not convert to Int64: The JSON value could not be converted to System.Int64. Path: $ | LineNumber: 0 | BytePositionInLine: 6.",
                "Runnable 'source': configuration key 'Colour' is not a configuration property (public, settable) of Puma.Runtime.Tests.Pipelines.SpecSource; it has Count, Day, Gain, Label, Offsets, Pause.",
                "Runnable 'source': 'Output' is a port; bind it to a buffer in Ports, not in Configuration.",
                "Runnable 'source': output port Output carries Puma.Runtime.Tests.Runnables.Frame, Puma.Runtime.Tests, but buffer 'numbers' holds System.Int32.",
                "Runnable 'scale': NodeRole 'gpu' is set but its placement is Thread; a role applies to Placement.Node only.",
                "Runnable 'scale': Ports binds 'Extra', which is not a port of Puma.Runtime.Tests.Runnables.Scale; its ports are Input, Output.",
                "Runnable 'scale': output port Output is bound to buffer 'missing', which the spec does not declare.",
                "Runnable 'tally': input port Input (Frame) is not bound to a buffer.",
                "Runnable 'tally' is declared more than once: runnable names must be unique.",
                "Runnable 'ghost': type 'Nope.Runnable, Nope' is not found (a misspelt name, or its assembly is not beside the application).",
                "Runnable 'not-a-runnable': type 'Puma.Runtime.Tests.Runnables.Frame, Puma.Runtime.Tests' is not a runnable (it does not derive from Puma.Runnables.Runnable).",
                "Runnables[6] has no name.",
                "Runnables[6]: unknown placement 9; use Thread, Process or Node.",
                "Buffer 'frames' has no writer: bind an output port (a ChannelWriter) of a runnable to it in its Ports.",
                "Buffer 'frames' is ManyToOne but its reader is bound to 3 runnables (scale, tally, Runnables[6]): use BufferMode.Competing to share the work or BufferMode.Broadcast to give each a copy.",
                "Buffer 'numbers' has no reader: bind an input port (a ChannelReader) of a runnable to it in its Ports.",
                "Buffer 'lonely' has no writer: bind an output port (a ChannelWriter) of a runnable to it in its Ports.",
                "Buffer 'lonely' has no reader: bind an input port (a ChannelReader) of a runnable to it in its Ports.",
            ],
            error.Problems);
        Assert.StartsWith("The pipeline spec has 24 problems:" + Environment.NewLine + " - Buffer 'frames' is declared", error.Message);
    }

    [Fact]
    public void ARequiredSettingWithoutAValueAndAValueOfTheWrongKindAreReported()
    {
        var spec = new PipelineSpec
        {
            Runnables =
            [
                RunnableSpec.For<Labelled>("unlabelled") with { Configuration = new JsonObject { ["Repeat"] = null } },
                RunnableSpec.For<Labelled>("labelled") with { Configuration = new JsonObject { ["Label"] = "x", ["Repeat"] = 2.5 } },
                RunnableSpec.For<Labelled>("fine") with { Configuration = new JsonObject { ["Label"] = "x", ["Repeat"] = 3 } },
            ],
        };

        Assert.Equal(
            [
                "Runnable 'unlabelled': configuration 'Repeat' is null, which does not convert to Int32: null is not a value of a non-nullable value type.",
                "Runnable 'unlabelled': required configuration property 'Label' has no value in Configuration.",
                "Runnable 'labelled': configuration 'Repeat' is 2.5, which does not convert to Int32: The JSON value could not be converted to System.Int32. Path: $ | LineNumber: 0 | BytePositionInLine: 3.",
            ],
            spec.GetProblems());
    }

    [Fact]
    public void ABufferOfAnUnknownItemTypeIsStillCheckedForItsEnds()
    {
        var spec = new PipelineSpec
        {
            Buffers = [new BufferSpec { Name = "work", ItemType = "Gone.Item, Gone", Capacity = 4, Mode = BufferMode.Competing }],
            Runnables =
            [
                RunnableSpec.For<TallyConsumer>("a") with { Ports = Bind(("Input", "work")) },
                RunnableSpec.For<TallyConsumer>("b") with { Ports = Bind(("Input", "work")) },
            ],
        };

        Assert.Equal(
            [
                "Buffer 'work': item type 'Gone.Item, Gone' is not found (a misspelt name, or its assembly is not beside the application).",
                "Buffer 'work' has no writer: bind an output port (a ChannelWriter) of a runnable to it in its Ports.",
            ],
            spec.GetProblems());
    }

    [Fact]
    public async Task AnInvalidSpecAddsNothingToTheRuntime()
    {
        var valid = new PipelineSpec
        {
            Buffers = [BufferSpec.For<Frame>("frames", 4)],
            Runnables =
            [
                RunnableSpec.For<SpecSource>("source") with { Ports = Bind(("Output", "frames")) },
                RunnableSpec.For<TallyConsumer>("sink") with { Ports = Bind(("Input", "frames")) },
            ],
        };
        var invalid = valid with { Runnables = [.. valid.Runnables, RunnableSpec.For<TallyConsumer>("orphan")] };
        await using var runtime = NewRuntime();

        var error = Assert.Throws<PipelineSpecException>(() => runtime.AddPipeline(invalid));
        Assert.Equal(["Runnable 'orphan': input port Input (Frame) is not bound to a buffer."], error.Problems);
        Assert.Empty(runtime.RunnableNames);

        runtime.AddPipeline(valid);
        Assert.Equal(["source", "sink"], runtime.RunnableNames);
        var again = Assert.Throws<PipelineSpecException>(() => runtime.AddPipeline(valid));
        Assert.Equal(
            [
                "Buffer 'frames' already exists in this runtime.",
                "Runnable 'source' was already added to this runtime.",
                "Runnable 'sink' was already added to this runtime.",
            ],
            again.Problems);
    }

    [Fact]
    public async Task ARuntimeWhoseRunnablesCannotBeDescribedSaysWhichAndWhy()
    {
        await using var runtime = NewRuntime();
        runtime.Add(new PlainPorted { Name = "plain", Input = Channel.CreateUnbounded<int>().Reader });
        runtime.Add(new Unplaceable { Name = "callback", Callback = () => 1 });
        runtime.Add(new TallyConsumer { Name = "unset", Input = null! });

        var error = Assert.Throws<PipelineSpecException>(runtime.ToSpec);

        Assert.Equal(3, error.Problems.Count);
        Assert.Equal("Runnable 'plain': port Input is a plain channel (UnboundedChannelReader), which a spec cannot describe; use a buffer made by runtime.CreateBuffer.", error.Problems[0]);
        Assert.StartsWith("Runnable 'callback' cannot be described: Runnable property Puma.Runtime.Tests.Runnables.Unplaceable.Callback cannot be sent to a child process: its type System.Func<System.Int32> is a delegate", error.Problems[1]);
        Assert.Equal("Runnable 'unset': port Input is not set; a spec cannot describe it.", error.Problems[2]);
    }

    [Fact]
    public void JsonThatIsNotASpecNamesWhereItGoesWrong()
    {
        var typo = Assert.Throws<PipelineSpecException>(() => PipelineSpec.FromJson("""{ "Buffers": [ { "Name": "a", "Capcity": 4 } ] }"""));
        var syntax = Assert.Throws<PipelineSpecException>(() => PipelineSpec.FromJson("""{ "Buffers": [ """));
        var kind = Assert.Throws<PipelineSpecException>(() => PipelineSpec.FromJson("""{ "Runnables": [ { "Placement": "Elsewhere" } ] }"""));

        Assert.Contains("'Capcity'", Assert.Single(typo.Problems));
        Assert.Contains("Puma.Runtime.Pipelines.BufferSpec", typo.Problems[0]);
        Assert.StartsWith("The pipeline spec JSON cannot be read:", Assert.Single(syntax.Problems));
        Assert.Contains("$.Runnables[0].Placement", Assert.Single(kind.Problems));
    }

    [Fact]
    public async Task NullListsAndMapsInJsonAreEmpty()
    {
        var spec = PipelineSpec.FromJson("""{ "Buffers": null, "Runnables": [ { "Name": "idle", "Type": "Puma.Runtime.Tests.Pipelines.Labelled, Puma.Runtime.Tests", "Configuration": { "Label": "l" }, "Ports": null } ] }""");

        Assert.Empty(spec.GetProblems());
        await using var runtime = NewRuntime();
        runtime.AddPipeline(spec);
        Assert.Equal(["idle"], runtime.RunnableNames);
    }

    [Fact]
    public void JsonIsReadCaseInsensitivelyWithCommentsAndKeywordTypes()
    {
        var spec = PipelineSpec.FromJson("""
            {
              // numbers from one to the other
              "buffers": [ { "name": "n", "itemType": "long", "capacity": 4, "mode": "competing" }, ],
              "runnables": [],
            }
            """);

        Assert.Equal(new BufferSpec { Name = "n", ItemType = "long", Capacity = 4, Mode = BufferMode.Competing }, Assert.Single(spec.Buffers));
        Assert.Equal(
            [
                "Buffer 'n' has no writer: bind an output port (a ChannelWriter) of a runnable to it in its Ports.",
                "Buffer 'n' has no reader: bind an input port (a ChannelReader) of a runnable to it in its Ports.",
            ],
            spec.GetProblems());
    }
}
