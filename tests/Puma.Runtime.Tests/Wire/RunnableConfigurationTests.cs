using System.Reflection;
using System.Text.Json;
using System.Threading.Channels;
using Puma.Runnables;
using Puma.Runtime.Child;
using Puma.Runtime.Tests.Child;
using Puma.Runtime.Tests.Parent;
using Puma.Runtime.Wire;

namespace Puma.Runtime.Tests.Wire;

public sealed class RunnableConfigurationTests
{
    private static EchoSample NewEcho() => new()
    {
        Name = "alpha",
        Gain = 0.1,
        Taps = [1, 2, 3],
        Mode = SampleMode.Careful,
        Options = new SampleOptions("opt", [0.5, double.NaN]),
        Missing = null,
        Limits = new() { ["a"] = 1, ["b"] = 2 },
        Input = Channel.CreateUnbounded<int>().Reader,
        Output = Channel.CreateUnbounded<string>().Writer,
    };

    [Fact]
    public void Capture_then_restore_rebuilds_properties_and_replaces_ports()
    {
        var original = NewEcho();
        var seen = new List<(string, object?)>();
        var configuration = RunnableConfiguration.Capture(original, (p, v) =>
        {
            seen.Add((p.Name, v));
            return ChildHarness.Bind(p, v);
        });

        Assert.Equal(["Input", "Output"], seen.Select(s => s.Item1).Order());
        Assert.Same(original.Input, seen.Single(s => s.Item1 == "Input").Item2);
        Assert.Equal(PortDirection.Reader, configuration.Ports["Input"].Direction);
        Assert.Equal(PortDirection.Writer, configuration.Ports["Output"].Direction);
        Assert.Equal(typeof(string).AssemblyQualifiedName, configuration.Ports["Output"].ElementType);
        Assert.False(configuration.Properties.TryGetProperty("Input", out _));
        Assert.False(configuration.Properties.TryGetProperty("ReadOnlyValue", out _));
        Assert.False(configuration.Properties.TryGetProperty("PrivateSet", out _));

        // Through the wire format, as in a real start.
        var wire = JsonSerializer.SerializeToUtf8Bytes(configuration, WireJsonContext.Default.RunnableConfiguration);
        var received = JsonSerializer.Deserialize(wire, WireJsonContext.Default.RunnableConfiguration)!;

        var attached = new Dictionary<string, Type>();
        var restored = (EchoSample)RunnableConfiguration.Restore(typeof(EchoSample), received, (binding, type) =>
        {
            attached[binding.BufferName] = type;
            return PortPlaceholder.Create(binding, type);
        });

        Assert.Equal(original.Name, restored.Name);
        Assert.Equal(original.Gain, restored.Gain);
        Assert.Equal(original.Taps, restored.Taps);
        Assert.Equal(original.Mode, restored.Mode);
        Assert.Equal(original.Options!.Label, restored.Options!.Label);
        Assert.Equal(original.Options.Weights, restored.Options.Weights);
        Assert.Null(restored.Missing);
        Assert.Equal(original.Limits, restored.Limits);
        Assert.Equal(configuration.Ports["Input"], ((IPortPlaceholder)restored.Input!).Binding);
        Assert.Equal(configuration.Ports["Output"], ((IPortPlaceholder)restored.Output).Binding);
        Assert.Equal(typeof(ChannelReader<int>), attached["buffer-Input"]);
        Assert.Equal(typeof(ChannelWriter<string>), attached["buffer-Output"]);
    }

    [Theory]
    [InlineData(typeof(DelegateSample), "Transform", "delegate")]
    [InlineData(typeof(StreamSample), "Source", "Stream")]
    [InlineData(typeof(HiddenStateSample), "Counter", "round trip")]
    [InlineData(typeof(DerivedValueSample), "Shape", "Circle")]
    [InlineData(typeof(ObjectValueSample), "Value", "untyped JSON")]
    [InlineData(typeof(PointerSample), "Handle", "pointer")]
    public void Unplaceable_properties_are_named(Type type, string property, string reason)
    {
        var runnable = Activator.CreateInstance(type)!;
        if (runnable is HiddenStateSample hidden)
            hidden.Counter.Increment();

        if (runnable is StreamSample stream)
            stream.Source = new MemoryStream();

        var error = Assert.Throws<RunnablePlacementException>(() => RunnableConfiguration.Capture(runnable, ChildHarness.Bind));
        Assert.Contains($"{type.FullName}.{property}", error.Message);
        Assert.Contains(reason, error.Message);
        Assert.Equal(type.FullName, error.RunnableType);
        Assert.Equal(property, error.PropertyName);
    }

    [Fact]
    public void Unplaceable_types_are_named()
    {
        var error = Assert.Throws<RunnablePlacementException>(() => RunnableConfiguration.Capture(new InternalSample(), ChildHarness.Bind));
        Assert.Contains(typeof(InternalSample).FullName!, error.Message);
        Assert.Contains("not public", error.Message);

        error = Assert.Throws<RunnablePlacementException>(() => RunnableConfiguration.Capture(new NoDefaultConstructorSample(3), ChildHarness.Bind));
        Assert.Contains(typeof(NoDefaultConstructorSample).FullName!, error.Message);
        Assert.Contains("parameterless constructor", error.Message);
    }

    [Fact]
    public void Excluded_properties_are_neither_captured_nor_restored()
    {
        Func<PropertyInfo, bool> exclude = p => p.Name == nameof(BaseFlagSample.Verbose);
        var configuration = RunnableConfiguration.Capture(new BaseFlagSample { Verbose = true, Name = "n" }, ChildHarness.Bind, exclude);
        Assert.False(configuration.Properties.TryGetProperty("Verbose", out _));
        var restored = (BaseFlagSample)configuration.Restore(typeof(BaseFlagSample), PortPlaceholder.Create, exclude);
        Assert.False(restored.Verbose);
        Assert.Equal("n", restored.Name);
    }

    [Fact]
    public void Derived_channel_types_are_ports()
    {
        Assert.True(RunnablePort.TryGetPortType(typeof(CustomReader), out var isInput, out var element));
        Assert.True(isInput);
        Assert.Equal(typeof(long), element);
        Assert.False(RunnablePort.TryGetPortType(typeof(Channel<int>), out _, out _));

        var configuration = RunnableConfiguration.Capture(new CustomPortSample { Input = new CustomReader() }, ChildHarness.Bind);
        Assert.Equal("buffer-Input", configuration.Ports["Input"].BufferName);

        // The default placeholder cannot stand in for a derived port type: the error names the property.
        var error = Assert.Throws<RunnablePlacementException>(() => configuration.Restore(typeof(CustomPortSample), PortPlaceholder.Create));
        Assert.Contains($"{typeof(CustomPortSample).FullName}.Input", error.Message);
    }

    [Fact]
    public void Restore_rejects_unknown_properties()
    {
        using var properties = JsonDocument.Parse("""{"Name":"x","Typo":1}""");
        var configuration = new RunnableConfiguration(properties.RootElement.Clone(), new Dictionary<string, PortBinding>());
        var error = Assert.Throws<RunnablePlacementException>(() => configuration.Restore(typeof(BaseFlagSample), PortPlaceholder.Create));
        Assert.Contains($"{typeof(BaseFlagSample).FullName}.Typo", error.Message);
    }
}
