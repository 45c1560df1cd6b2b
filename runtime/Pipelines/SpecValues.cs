using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Puma.Runtime.Wire;

namespace Puma.Runtime.Pipelines;

/// <summary>
/// Configuration values in a spec: as a child process gets them (<see cref="RunnableConfiguration.ValueOptions"/>), but
/// with enums written as names, and read as names or numbers, since people write and read a spec.
/// </summary>
internal static class SpecValues
{
    /// <summary>The options for a spec's configuration values.</summary>
    public static JsonSerializerOptions Options { get; } = new(RunnableConfiguration.ValueOptions)
    {
        Converters = { new JsonStringEnumConverter() },
    };

    /// <summary>A value as the spec writes it, from its form on the wire.</summary>
    public static JsonNode? FromWire(JsonElement value, PropertyInfo property) =>
        JsonSerializer.SerializeToNode(value.Deserialize(property.PropertyType, RunnableConfiguration.ValueOptions), property.PropertyType, Options);

    /// <summary>A value in the form the runnable's configuration is restored from, from its form in the spec.</summary>
    public static JsonNode? ToWire(JsonNode? value, PropertyInfo property) =>
        JsonSerializer.SerializeToNode(value.Deserialize(property.PropertyType, Options), property.PropertyType, RunnableConfiguration.ValueOptions);
}
