using System.Text.Json.Nodes;
using Puma.Runnables;
using Puma.Runtime.Parent;
using static Puma.Runtime.Tests.TestSupport;

namespace Puma.Runtime.Tests.Parent;

/// <summary>A request for the value of an AppContext switch in the process that answers.</summary>
/// <param name="Name">The switch.</param>
public sealed record SwitchValue(string Name);

/// <summary>Answers <see cref="SwitchValue"/> with "True", "False" or "unset".</summary>
public sealed class SwitchReporter : Runnable
{
    /// <inheritdoc/>
    protected override void Configure(Handlers on) => on
        .Request<SwitchValue, string>(request => Describe(request.Name))
        .Tick(TimeSpan.FromSeconds(10), () => { });

    /// <summary>The switch as this process sees it.</summary>
    public static string Describe(string name) => AppContext.TryGetSwitch(name, out var on) ? on.ToString() : "unset";
}

/// <summary>
/// The runtimeconfig a child starts with: the parent's plus EventSource off, unless the parent's sets EventSource
/// itself (then the parent's, untouched).
/// </summary>
public sealed class ChildRuntimeConfigTests : IDisposable
{
    private const string EventSourceSwitch = "System.Diagnostics.Tracing.EventSource.IsSupported";
    private readonly string _directory = Directory.CreateTempSubdirectory("puma-rc-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void EventSourceIsTurnedOffWhereTheSourceSaysNothing()
    {
        var source = Write("app.runtimeconfig.json", """{"runtimeOptions":{"tfm":"net10.0","framework":{"name":"Microsoft.NETCore.App","version":"10.0.0"},"configProperties":{"System.GC.Server":false}}}""");

        var derived = ChildRuntimeConfig.WriteFor(source, _directory);

        Assert.Equal(Path.Combine(_directory, "child.runtimeconfig.json"), derived);
        var options = JsonNode.Parse(File.ReadAllText(derived))!["runtimeOptions"]!;
        Assert.False(options["configProperties"]![EventSourceSwitch]!.GetValue<bool>());
        Assert.False(options["configProperties"]!["System.GC.Server"]!.GetValue<bool>());
        Assert.Equal("Microsoft.NETCore.App", options["framework"]!["name"]!.GetValue<string>());
        Assert.Equal("net10.0", options["tfm"]!.GetValue<string>());
    }

    [Fact]
    public void ASourceWithoutConfigPropertiesGetsThem()
    {
        var source = Write("bare.runtimeconfig.json", """{"runtimeOptions":{"framework":{"name":"Microsoft.NETCore.App","version":"10.0.0"}}}""");
        var derived = ChildRuntimeConfig.WriteFor(source, _directory);
        Assert.False(JsonNode.Parse(File.ReadAllText(derived))!["runtimeOptions"]!["configProperties"]![EventSourceSwitch]!.GetValue<bool>());
    }

    [Theory]
    [InlineData("true")]
    [InlineData("false")]
    public void TheApplicationsOwnChoiceIsKept(string value)
    {
        var source = Write($"chosen-{value}.runtimeconfig.json", """{"runtimeOptions":{"framework":{"name":"Microsoft.NETCore.App","version":"10.0.0"},"configProperties":{""" + $"\"{EventSourceSwitch}\":{value}" + "}}}");
        Assert.Equal(source, ChildRuntimeConfig.WriteFor(source, _directory));
        Assert.False(File.Exists(Path.Combine(_directory, "child.runtimeconfig.json")));
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("[1,2]")]
    [InlineData("""{"noRuntimeOptions":{}}""")]
    public void ASourceThatCannotBeReadIsPassedOnAsItIs(string text)
    {
        var source = Write($"odd-{Guid.NewGuid():N}.runtimeconfig.json", text);
        Assert.Equal(source, ChildRuntimeConfig.WriteFor(source, _directory));
    }

    [Fact]
    public void ADuplicateKeyIsPassedOnAsItIsAndCommentsAreRead()
    {
        var duplicate = Write("duplicate.runtimeconfig.json", """{"runtimeOptions":{"configProperties":{"X":true,"X":false}}}""");
        Assert.Equal(duplicate, ChildRuntimeConfig.WriteFor(duplicate, _directory));

        var commented = Write("commented.runtimeconfig.json", """
            {
              // written by hand
              "runtimeOptions": { "framework": { "name": "Microsoft.NETCore.App", "version": "10.0.0" }, },
            }
            """);
        var derived = ChildRuntimeConfig.WriteFor(commented, _directory);
        Assert.False(JsonNode.Parse(File.ReadAllText(derived))!["runtimeOptions"]!["configProperties"]![EventSourceSwitch]!.GetValue<bool>());
    }

    [Fact]
    public void ARewrittenSourceIsDerivedAgain()
    {
        var source = Write("rewritten.runtimeconfig.json", """{"runtimeOptions":{"framework":{"name":"Microsoft.NETCore.App","version":"10.0.0"}}}""");
        Assert.NotEqual(source, ChildRuntimeConfig.WriteFor(source, _directory));

        Write("rewritten.runtimeconfig.json", """{"runtimeOptions":{"configProperties":{"System.Diagnostics.Tracing.EventSource.IsSupported":true}}}""");
        File.SetLastWriteTimeUtc(source, File.GetLastWriteTimeUtc(source).AddSeconds(5));
        Assert.Equal(source, ChildRuntimeConfig.WriteFor(source, _directory));
    }

    [Fact]
    public void TheDevelopmentFileBesideTheSourceIsCopiedBesideTheChildsFile()
    {
        var source = Write("dev-app.runtimeconfig.json", """{"runtimeOptions":{"framework":{"name":"Microsoft.NETCore.App","version":"10.0.0"}}}""");
        Write("dev-app.runtimeconfig.dev.json", """{"runtimeOptions":{"additionalProbingPaths":["/probe"]}}""");

        var derived = ChildRuntimeConfig.WriteFor(source, _directory);

        Assert.Equal(
            """{"runtimeOptions":{"additionalProbingPaths":["/probe"]}}""",
            File.ReadAllText(Path.Combine(_directory, "child.runtimeconfig.dev.json")));
        Assert.Equal(Path.Combine(_directory, "child.runtimeconfig.json"), derived);
    }

    [Theory]
    [InlineData(Placement.Thread)]
    [InlineData(Placement.Process)]
    public async Task AProcessRunnableRunsWithoutEventSourceAndAThreadRunnableAsItsProcessDoes(Placement placement)
    {
        await using var runtime = NewRuntime();
        runtime.Add(new SwitchReporter { Name = "reporter" }, placement);
        await runtime.StartAsync();

        var seen = await runtime.AskAsync<string>("reporter", new SwitchValue(EventSourceSwitch));

        Assert.Equal(placement == Placement.Process ? "False" : SwitchReporter.Describe(EventSourceSwitch), seen);
        await runtime.StopAsync();
    }

    private string Write(string name, string text)
    {
        var path = Path.Combine(_directory, name);
        File.WriteAllText(path, text);
        return path;
    }
}
