using System.Globalization;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Configuration;
using Puma.Buffers;
using Puma.Runnables;
using Puma.Runtime.Pipelines;

namespace Puma.Hosting;

/// <summary>
/// Binds a <see cref="PipelineSpec"/> from a configuration section (<c>appsettings.json</c>, environment variables,
/// command line), so that an application changes its pipeline without recompiling.
/// </summary>
/// <remarks>
/// <para>The section has the shape of the spec's JSON. <c>Buffers</c> and <c>Runnables</c> are arrays, or objects keyed
/// by name (then <c>Name</c> may be left out, and they come in name order), which lets an environment variable change one value:
/// <c>PumaPipeline__Runnables__scale__Configuration__Gain=3</c>.</para>
/// <code>
/// "PumaPipeline": {
///   "Buffers": { "numbers": { "ItemType": "System.Int64", "Capacity": 64 } },
///   "Runnables": {
///     "source": { "Type": "MyApp.Source, MyApp", "Configuration": { "Count": 1000 }, "Ports": { "Output": "numbers" } },
///     "sink": { "Type": "MyApp.Sink, MyApp", "Placement": "Process", "Ports": { "Input": "numbers" } }
///   }
/// }
/// </code>
/// <para>Configuration values are text: each is converted to the type of the runnable's property it names (as
/// <c>ConfigurationBinder</c> does: numbers, booleans, enums, <see cref="TimeSpan"/>, arrays and objects), so the
/// runnable's type must be loadable here. A value for an unknown type or property is kept as text, for
/// <see cref="PipelineSpec.GetProblems"/> to report.</para>
/// </remarks>
public static class PipelineSpecConfiguration
{
    /// <summary>The section <see cref="PumaBuilderPipelineExtensions.AddPipeline"/> binds by default: <c>"PumaPipeline"</c>.</summary>
    public const string DefaultSectionName = "PumaPipeline";

    private static readonly string[] PipelineKeys = [nameof(PipelineSpec.Buffers), nameof(PipelineSpec.Runnables)];
    private static readonly string[] BufferKeys = [nameof(BufferSpec.Name), nameof(BufferSpec.ItemType), nameof(BufferSpec.Capacity), nameof(BufferSpec.CapacityBytes), nameof(BufferSpec.Mode)];
    private static readonly string[] RunnableKeys = [nameof(RunnableSpec.Name), nameof(RunnableSpec.Type), nameof(RunnableSpec.Placement), nameof(RunnableSpec.NodeRole), nameof(RunnableSpec.Configuration), nameof(RunnableSpec.Ports)];

    /// <summary>Binds the spec the section describes. It is not validated: <c>runtime.AddPipeline(spec)</c> does that.</summary>
    /// <param name="section">The section, e.g. <c>configuration.GetSection("PumaPipeline")</c>.</param>
    /// <returns>The spec.</returns>
    /// <exception cref="PipelineSpecException">
    /// The section is missing, has keys a spec does not have, or values that do not convert (a capacity that is not a
    /// number, an unknown mode); every problem is listed with its configuration key.
    /// </exception>
    public static PipelineSpec ToPipelineSpec(this IConfiguration section)
    {
        ArgumentNullException.ThrowIfNull(section);
        var path = section is IConfigurationSection s ? s.Path : "(root)";
        if (!section.GetChildren().Any())
            throw new PipelineSpecException([$"Configuration section '{path}' is missing or empty: it should hold the pipeline's Buffers and Runnables."]);

        var problems = new List<string>();
        CheckKeys(section, PipelineKeys, "pipeline", problems);
        var buffers = Entries(section.GetSection(nameof(PipelineSpec.Buffers))).Select(b => BindBuffer(b.Section, b.Named, problems)).ToArray();
        var bufferNames = buffers.Select(b => b.Name).Where(n => n.Length > 0).Distinct(StringComparer.OrdinalIgnoreCase).ToDictionary(n => n, StringComparer.OrdinalIgnoreCase);
        var runnables = Entries(section.GetSection(nameof(PipelineSpec.Runnables))).Select(r => BindRunnable(r.Section, r.Named, bufferNames, problems)).ToArray();
        if (problems.Count > 0)
            throw new PipelineSpecException(problems);
        return new PipelineSpec { Buffers = buffers, Runnables = runnables };
    }

    /// <summary>
    /// The entries of a Buffers or Runnables section, each with whether its key is its name: keys 0..n-1 come from an
    /// array (the name must be given), any other keys from an object keyed by name (a name "1" included).
    /// </summary>
    private static IEnumerable<(IConfigurationSection Section, bool Named)> Entries(IConfigurationSection section)
    {
        var children = section.GetChildren().ToList();
        var indices = children.Select(c => int.TryParse(c.Key, NumberStyles.None, CultureInfo.InvariantCulture, out var i) && i.ToString(CultureInfo.InvariantCulture) == c.Key ? i : -1).ToHashSet();
        var isArray = indices.Count == children.Count && Enumerable.Range(0, children.Count).All(indices.Contains);
        return children.Select(c => (c, !isArray));
    }

    private static BufferSpec BindBuffer(IConfigurationSection section, bool named, List<string> problems)
    {
        CheckKeys(section, BufferKeys, "buffer", problems);
        return new BufferSpec
        {
            Name = NameOf(section, named),
            ItemType = section[nameof(BufferSpec.ItemType)] ?? "",
            Capacity = Parse(section, nameof(BufferSpec.Capacity), s => int.Parse(s, NumberStyles.Integer, CultureInfo.InvariantCulture), 0, problems),
            CapacityBytes = Parse<long?>(section, nameof(BufferSpec.CapacityBytes), s => long.Parse(s, NumberStyles.Integer, CultureInfo.InvariantCulture), null, problems),
            Mode = ParseEnum(section, nameof(BufferSpec.Mode), BufferMode.ManyToOne, problems),
        };
    }

    /// <summary>
    /// The runnable as its section describes it. Configuration keys are case-insensitive: a port or property key is
    /// written as the property is named, a buffer name in Ports as the buffer is named.
    /// </summary>
    private static RunnableSpec BindRunnable(IConfigurationSection section, bool named, Dictionary<string, string> bufferNames, List<string> problems)
    {
        CheckKeys(section, RunnableKeys, "runnable", problems);
        var spec = new RunnableSpec
        {
            Name = NameOf(section, named),
            Type = section[nameof(RunnableSpec.Type)] ?? "",
            Placement = ParseEnum(section, nameof(RunnableSpec.Placement), Placement.Thread, problems),
            NodeRole = section[nameof(RunnableSpec.NodeRole)],
        };
        var type = spec.ResolveType();
        var properties = (type is null ? [] : SpecProperties.Of(type)).ToDictionary(p => p.Name, StringComparer.OrdinalIgnoreCase);
        return spec with
        {
            Configuration = BindConfiguration(section.GetSection(nameof(RunnableSpec.Configuration)), type, properties, problems),
            Ports = section.GetSection(nameof(RunnableSpec.Ports)).GetChildren().ToDictionary(
                p => properties.TryGetValue(p.Key, out var port) ? port.Name : p.Key,
                p => p.Value is { } buffer && bufferNames.TryGetValue(buffer, out var declared) ? declared : p.Value ?? "",
                StringComparer.Ordinal),
        };
    }

    /// <summary>Each value converted to the type of the property it names; kept as text when there is no such property, or it is a port.</summary>
    private static JsonObject BindConfiguration(IConfigurationSection section, Type? runnableType, Dictionary<string, PropertyInfo> properties, List<string> problems)
    {
        var configuration = new JsonObject();
        foreach (var child in section.GetChildren())
        {
            if (!properties.TryGetValue(child.Key, out var property) || SpecProperties.IsPort(property))
            {
                configuration[property?.Name ?? child.Key] = AsText(child);
                continue;
            }

            try
            {
                var value = child.Get(property.PropertyType, binder => binder.ErrorOnUnknownConfiguration = true);
                configuration[property.Name] = JsonSerializer.SerializeToNode(value, property.PropertyType, SpecValues.Options);
            }
            catch (Exception e) when (e is InvalidOperationException or FormatException or NotSupportedException or ArgumentException)
            {
                problems.Add($"{child.Path} is '{child.Value}', which does not convert to {property.PropertyType.Name} (property {property.Name} of {runnableType!.Name}): {e.Message}");
            }
        }

        return configuration;
    }

    private static JsonNode? AsText(IConfigurationSection section)
    {
        var children = section.GetChildren().ToList();
        if (children.Count == 0)
            return section.Value is null ? null : JsonValue.Create(section.Value);
        var node = new JsonObject();
        foreach (var child in children)
            node[child.Key] = AsText(child);
        return node;
    }

    /// <summary>The Name key, else the section's key when the entry is keyed by name (else empty: the spec reports a missing name).</summary>
    private static string NameOf(IConfigurationSection section, bool named) =>
        section[nameof(BufferSpec.Name)] ?? (named ? section.Key : "");

    private static void CheckKeys(IConfiguration section, string[] keys, string what, List<string> problems)
    {
        foreach (var child in section.GetChildren().Where(c => !keys.Contains(c.Key, StringComparer.OrdinalIgnoreCase)))
            problems.Add($"{child.Path} is not a {what} setting; use {string.Join(", ", keys)}.");
    }

    private static T Parse<T>(IConfigurationSection section, string key, Func<string, T> parse, T fallback, List<string> problems)
    {
        var text = section[key];
        if (string.IsNullOrWhiteSpace(text))
            return fallback;
        try
        {
            return parse(text);
        }
        catch (Exception e) when (e is FormatException or OverflowException)
        {
            problems.Add($"{section.Path}:{key} is '{text}', which is not a whole number in range: {e.Message}");
            return fallback;
        }
    }

    private static T ParseEnum<T>(IConfigurationSection section, string key, T fallback, List<string> problems)
        where T : struct, Enum
    {
        var text = section[key];
        if (string.IsNullOrWhiteSpace(text))
            return fallback;
        if (Enum.TryParse<T>(text, ignoreCase: true, out var value) && Enum.IsDefined(value) && !text.Trim().All(c => char.IsAsciiDigit(c) || c == '-'))
            return value;
        problems.Add($"{section.Path}:{key} is '{text}'; use one of {string.Join(", ", Enum.GetNames<T>())}.");
        return fallback;
    }
}
