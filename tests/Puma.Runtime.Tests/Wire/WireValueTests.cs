using System.Text.Json;
using Puma.Runtime.Tests.Parent;
using Puma.Runtime.Wire;

namespace Puma.Runtime.Tests.Wire;

/// <summary>Typed values, configuration properties and message helpers, exactly.</summary>
public sealed class WireValueTests
{
    [Fact]
    public void AValueOfALoadableTypeComesBackAsThatType()
    {
        var value = TypedValues.From(new Reading("x", 2.5));
        Assert.Equal(typeof(Reading).AssemblyQualifiedName, value.TypeName);
        Assert.Equal("""{"Name":"x","Value":2.5}""", value.Json);
        Assert.Equal(new Reading("x", 2.5), TypedValues.ToObject(value, typeof(object)));
    }

    [Fact]
    public void AValueOfAnUnknownTypeComesBackAsTheFallbackElseAsJson()
    {
        var unknown = new TypedValue("No.Such.Type, NoSuchAssembly", """{"Name":"y","Value":1}""");
        Assert.Equal(new Reading("y", 1), TypedValues.ToObject(unknown, typeof(Reading)));
        var json = Assert.IsType<JsonElement>(TypedValues.ToObject(unknown));
        Assert.Equal("y", json.GetProperty("Name").GetString());
    }

    [Fact]
    public void ATypeAnswersToItselfItsBasesAndItsInterfacesByAssemblyQualifiedName()
    {
        var names = TypedValues.NamesOf(typeof(Reading)).ToList();
        Assert.Equal(typeof(Reading).AssemblyQualifiedName, names[0]);
        Assert.Equal(typeof(object).AssemblyQualifiedName, names[1]);
        Assert.Contains(typeof(IEquatable<Reading>).AssemblyQualifiedName, names);
        Assert.Equal(2 + typeof(Reading).GetInterfaces().Length, names.Count);
    }

    [Fact]
    public void ConfigurationPropertiesAreTheSettableOnesInOrdinalOrder()
    {
        var names = RunnableConfiguration.ConfigurationProperties(typeof(ShapeOfProperties)).Select(p => p.Name);
        Assert.Equal(["Alpha", "Beta", "Zeta"], names);
    }

    [Fact]
    public void AJsonValuedPropertyIsCapturedAsIs()
    {
        using var document = JsonDocument.Parse("""{"a":[1,2]}""");
        var configuration = RunnableConfiguration.Capture(new JsonHolder { Value = document.RootElement.Clone() }, ChildHarness.Bind);
        Assert.Equal("""{"Value":{"a":[1,2]}}""", configuration.Properties.GetRawText());
    }

    [Fact]
    public void APortBindingCallbackThatReturnsNullIsNamed()
    {
        var error = Assert.Throws<RunnablePlacementException>(() => RunnableConfiguration.Capture(new PortHolder(), (_, _) => null!));
        Assert.Equal(
            $"Runnable property {typeof(PortHolder).FullName}.Input cannot be sent to a child process: the port binding callback returned null.",
            error.Message);
    }

    [Fact]
    public void NullArgumentsAreRefusedByName()
    {
        Assert.Equal("runnable", Assert.Throws<ArgumentNullException>(() => RunnableConfiguration.Capture(null!, ChildHarness.Bind)).ParamName);
        Assert.Equal("bindPort", Assert.Throws<ArgumentNullException>(() => RunnableConfiguration.Capture(new JsonHolder(), null!)).ParamName);
        Assert.Equal("type", Assert.Throws<ArgumentNullException>(() => RunnableConfiguration.ConfigurationProperties(null!).ToList()).ParamName);
        Assert.Equal("type", Assert.Throws<ArgumentNullException>(() => RunnableConfiguration.CheckType(null!)).ParamName);
        Assert.Equal("configuration", Assert.Throws<ArgumentNullException>(() => RunnableConfiguration.Restore(typeof(JsonHolder), null!, (_, _) => null)).ParamName);
        Assert.Equal("runnable", Assert.Throws<ArgumentNullException>(() => ChildStartMessage.For(null!, "n", ChildHarness.Bind)).ParamName);
        Assert.Equal("exception", Assert.Throws<ArgumentNullException>(() => ChildFailedMessage.From(null!)).ParamName);
    }

    [Fact]
    public void TheCompletedEndIsNamedCompleted()
    {
        Assert.Equal("Completed", ChildEndedMessage.Completed.Kind);
        Assert.Null(ChildEndedMessage.Completed.Error);
    }

    /// <summary>Sample.</summary>
    public sealed record Reading(string Name, double Value);

    /// <summary>Sample: only Alpha, Beta and Zeta are configuration properties.</summary>
    public sealed class ShapeOfProperties
    {
        /// <summary>Sample.</summary>
        public int Zeta { get; set; }

        /// <summary>Sample.</summary>
        public int Beta { get; init; }

        /// <summary>Sample.</summary>
        public int Alpha { get; set; }

        /// <summary>Sample: no setter.</summary>
        public int ReadOnly => 1;

        /// <summary>Sample: private setter.</summary>
        public int PrivateSet { get; private set; }

        /// <summary>Sample: an indexer.</summary>
        public int this[int i] { get => i; set { } }
    }

    /// <summary>Sample.</summary>
    public sealed class JsonHolder { public JsonElement Value { get; set; } }

    /// <summary>Sample.</summary>
    public sealed class PortHolder { public System.Threading.Channels.ChannelReader<int>? Input { get; set; } }
}
