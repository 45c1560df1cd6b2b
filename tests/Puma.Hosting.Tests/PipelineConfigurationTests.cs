using System.Text;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Puma.Buffers;
using Puma.Runnables;
using Puma.Runtime;
using Puma.Runtime.Pipelines;

namespace Puma.Hosting.Tests;

/// <summary>A pipeline bound from configuration: the values take the runnables' property types, and a host runs it.</summary>
public sealed class PipelineConfigurationTests
{
    private const string SourceType = "Puma.Hosting.Tests.ConfiguredSource, Puma.Hosting.Tests";
    private const string SinkType = "Puma.Hosting.Tests.SummingSink, Puma.Hosting.Tests";

    private static readonly PipelineSpec Expected = new()
    {
        Buffers = [new BufferSpec { Name = "numbers", ItemType = "System.Int64", Capacity = 16, CapacityBytes = 4096, Mode = BufferMode.ManyToOne }],
        Runnables =
        [
            new RunnableSpec
            {
                Name = "source",
                Type = SourceType,
                Configuration = new JsonObject
                {
                    ["Count"] = 100,
                    ["Step"] = 3,
                    ["Negate"] = true,
                    ["Pause"] = "00:00:00.0010000", // as System.Text.Json writes a TimeSpan
                    ["Weights"] = new JsonArray(1.5, 2),
                    ["Rounding"] = "AwayFromZero",
                },
                Ports = new Dictionary<string, string> { ["Output"] = "numbers" },
            },
            new RunnableSpec { Name = "sink", Type = SinkType, Placement = Placement.Process, Ports = new Dictionary<string, string> { ["Input"] = "numbers" } },
        ],
    };

    private const string AppSettings = """
        {
          "PumaPipeline": {
            "Buffers": { "numbers": { "ItemType": "System.Int64", "Capacity": 16, "CapacityBytes": 4096 } },
            "Runnables": {
              "source": {
                "Type": "Puma.Hosting.Tests.ConfiguredSource, Puma.Hosting.Tests",
                "Configuration": { "Count": 100, "Step": 3, "Negate": true, "Pause": "00:00:00.001", "Weights": [ 1.5, 2 ], "Rounding": "AwayFromZero" },
                "Ports": { "Output": "numbers" }
              },
              "sink": { "Type": "Puma.Hosting.Tests.SummingSink, Puma.Hosting.Tests", "Placement": "Process", "Ports": { "Input": "numbers" } }
            }
          }
        }
        """;

    [Fact]
    public void An_appsettings_section_keyed_by_name_binds_a_spec_with_typed_values()
    {
        var configuration = new ConfigurationBuilder().AddJsonStream(new MemoryStream(Encoding.UTF8.GetBytes(AppSettings))).Build();

        var spec = configuration.GetSection(PipelineSpecConfiguration.DefaultSectionName).ToPipelineSpec();

        Assert.Equal(Expected with { Runnables = [.. Expected.Runnables.OrderBy(r => r.Name, StringComparer.Ordinal)] }, spec); // keyed: in name order
        Assert.Empty(spec.GetProblems());
    }

    [Fact]
    public void Arrays_with_names_bind_the_same_spec_as_sections_keyed_by_name()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Pipe:Buffers:0:Name"] = "numbers",
            ["Pipe:Buffers:0:ItemType"] = "System.Int64",
            ["Pipe:Buffers:0:Capacity"] = "16",
            ["Pipe:Buffers:0:CapacityBytes"] = "4096",
            ["Pipe:Runnables:0:Name"] = "source",
            ["Pipe:Runnables:0:Type"] = SourceType,
            ["Pipe:Runnables:0:Configuration:Count"] = "100",
            ["Pipe:Runnables:0:Configuration:Step"] = "3",
            ["Pipe:Runnables:0:Configuration:Negate"] = "True",
            ["Pipe:Runnables:0:Configuration:Pause"] = "00:00:00.001",
            ["Pipe:Runnables:0:Configuration:Weights:0"] = "1.5",
            ["Pipe:Runnables:0:Configuration:Weights:1"] = "2",
            ["Pipe:Runnables:0:Configuration:Rounding"] = "awayfromzero",
            ["Pipe:Runnables:0:Ports:Output"] = "numbers",
            ["Pipe:Runnables:1:Name"] = "sink",
            ["Pipe:Runnables:1:Type"] = SinkType,
            ["Pipe:Runnables:1:Placement"] = "process",
            ["Pipe:Runnables:1:Ports:Input"] = "numbers",
        }).Build();

        Assert.Equal(Expected, configuration.GetSection("Pipe").ToPipelineSpec());
    }

    [Fact]
    public void Keys_are_case_insensitive_as_configuration_keys_are()
    {
        // As environment variables may spell them: PUMAPIPELINE__RUNNABLES__source__CONFIGURATION__count=7, ...
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Pipe:BUFFERS:Numbers:itemtype"] = "System.Int64",
            ["Pipe:BUFFERS:Numbers:CAPACITY"] = "16",
            ["Pipe:runnables:source:type"] = SourceType,
            ["Pipe:runnables:source:configuration:count"] = "7",
            ["Pipe:runnables:source:ports:output"] = "NUMBERS",
            ["Pipe:runnables:sink:Type"] = SinkType,
            ["Pipe:runnables:sink:Ports:INPUT"] = "numbers",
        }).Build();

        var spec = configuration.GetSection("Pipe").ToPipelineSpec();

        var source = spec.Runnables.Single(r => r.Name == "source");
        Assert.Equal("""{"Count":7}""", source.Configuration.ToJsonString()); // a number, under the property's own name
        Assert.Equal(new Dictionary<string, string> { ["Output"] = "Numbers" }, source.Ports); // the port's name, the buffer's name
        Assert.Equal(new Dictionary<string, string> { ["Input"] = "Numbers" }, spec.Runnables.Single(r => r.Name == "sink").Ports);
        Assert.Empty(spec.GetProblems());
    }

    [Fact]
    public void A_section_keyed_by_names_that_look_like_numbers_keeps_them_as_names()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Pipe:Buffers:1:ItemType"] = "System.Int64",
            ["Pipe:Buffers:1:Capacity"] = "16",
            ["Pipe:Runnables:source:Type"] = SourceType,
            ["Pipe:Runnables:source:Ports:Output"] = "1",
            ["Pipe:Runnables:sink:Type"] = SinkType,
            ["Pipe:Runnables:sink:Ports:Input"] = "1",
        }).Build();

        var spec = configuration.GetSection("Pipe").ToPipelineSpec();

        Assert.Equal("1", Assert.Single(spec.Buffers).Name);
        Assert.Empty(spec.GetProblems());
    }

    [Fact]
    public void Every_value_that_does_not_bind_is_listed_with_its_key()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Pipe:Buffers:numbers:ItemType"] = "System.Int64",
            ["Pipe:Buffers:numbers:Capacity"] = "lots",
            ["Pipe:Buffers:numbers:Mode"] = "Sideways",
            ["Pipe:Buffers:numbers:Colour"] = "red",
            ["Pipe:Runnables:source:Type"] = SourceType,
            ["Pipe:Runnables:source:Placement"] = "1",
            ["Pipe:Runnables:source:Configuration:Count"] = "many",
            ["Pipe:Runnables:source:Configuration:Colour"] = "blue",
            ["Pipe:Runnables:source:Ports:Output"] = "numbers",
            ["Pipe:Version"] = "2",
        }).Build();

        var error = Assert.Throws<PipelineSpecException>(() => configuration.GetSection("Pipe").ToPipelineSpec());

        Assert.Equal(
            [
                "Pipe:Version is not a pipeline setting; use Buffers, Runnables.",
                "Pipe:Buffers:numbers:Colour is not a buffer setting; use Name, ItemType, Capacity, CapacityBytes, Mode.",
                "Pipe:Buffers:numbers:Capacity is 'lots', which is not a whole number in range: The input string 'lots' was not in a correct format.",
                "Pipe:Buffers:numbers:Mode is 'Sideways'; use one of ManyToOne, Broadcast, Competing.",
                "Pipe:Runnables:source:Placement is '1'; use one of Thread, Process, Node.",
                "Pipe:Runnables:source:Configuration:Count is 'many', which does not convert to Int64 (property Count of ConfiguredSource): Failed to convert configuration value 'many' at 'Pipe:Runnables:source:Configuration:Count' to type 'System.Int64'.",
            ],
            error.Problems);
    }

    [Fact]
    public void A_missing_section_says_which()
    {
        var configuration = new ConfigurationBuilder().Build();

        var error = Assert.Throws<PipelineSpecException>(() => configuration.GetSection("Nothing:Here").ToPipelineSpec());

        Assert.Equal(["Configuration section 'Nothing:Here' is missing or empty: it should hold the pipeline's Buffers and Runnables."], error.Problems);
    }

    [Theory]
    [InlineData(Placement.Thread)]
    [InlineData(Placement.Process)]
    public async Task A_host_runs_the_pipeline_of_its_configuration_and_a_changed_value_changes_the_run(Placement placement)
    {
        var settings = new Dictionary<string, string?>
        {
            ["PumaPipeline:Buffers:numbers:ItemType"] = "long",
            ["PumaPipeline:Buffers:numbers:Capacity"] = "16",
            ["PumaPipeline:Buffers:numbers:CapacityBytes"] = "4096",
            ["PumaPipeline:Runnables:source:Type"] = SourceType,
            ["PumaPipeline:Runnables:source:Configuration:Count"] = "100",
            ["PumaPipeline:Runnables:source:Configuration:Step"] = "3",
            ["PumaPipeline:Runnables:source:Ports:Output"] = "numbers",
            ["PumaPipeline:Runnables:sink:Type"] = SinkType,
            ["PumaPipeline:Runnables:sink:Placement"] = placement.ToString(),
            ["PumaPipeline:Runnables:sink:Ports:Input"] = "numbers",
        };

        Assert.Equal(new Sum(100, 3 * 4950), await RunAsync(settings));

        settings["PumaPipeline:Runnables:source:Configuration:Count"] = "10"; // as an environment variable would: no recompiling
        settings["PumaPipeline:Runnables:source:Configuration:Negate"] = "true";
        Assert.Equal(new Sum(10, -3 * 45), await RunAsync(settings));
    }

    private static async Task<Sum> RunAsync(Dictionary<string, string?> settings)
    {
        using var host = TestHosts.Build(puma => puma.AddPipeline(), settings);
        var runtime = host.Services.GetRequiredService<PumaRuntime>();
        await host.StartAsync();
        Sum? sum = null;
        using var cts = new CancellationTokenSource(TestHosts.Timeout);
        await foreach (var report in runtime.Status.ReadAllAsync(cts.Token))
            sum = report.Value as Sum ?? sum;
        Assert.Equal(PumaRunEnd.Completed, (await host.OutcomeAsync()).End);
        await host.StopAsync();
        return sum ?? throw new InvalidOperationException("the sink reported no sum");
    }
}

/// <summary>What a <see cref="SummingSink"/> read.</summary>
public sealed record Sum(long Count, long Total);

/// <summary>Writes 0, Step, 2 Step, ... (Count values, negated when Negate); the other settings exist to be bound.</summary>
public sealed class ConfiguredSource : Runnable
{
    public required ChannelWriter<long> Output { get; init; }

    public long Count { get; set; }

    public int Step { get; set; } = 1;

    public bool Negate { get; set; }

    public TimeSpan Pause { get; set; }

    public double[] Weights { get; set; } = [];

    public MidpointRounding Rounding { get; set; }

    protected override async Task RunAsync(CancellationToken cancellationToken)
    {
        for (long i = 0; i < Count; i++)
            await Output.WriteAsync((Negate ? -1 : 1) * i * Step, cancellationToken);
    }
}

/// <summary>Counts and sums its input; reports a <see cref="Sum"/> when it completes.</summary>
public sealed class SummingSink : Runnable
{
    private long _count, _total;

    public required ChannelReader<long> Input { get; init; }

    protected override void Configure(Handlers on) => on
        .Input(Input, value =>
        {
            _count++;
            _total += value;
        })
        .InputCompleted(Input, _ => Context.ReportStatus(new Sum(_count, _total)));
}
