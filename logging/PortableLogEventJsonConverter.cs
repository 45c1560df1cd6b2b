using System.Text.Json;
using System.Text.Json.Serialization;

namespace Puma.Logging;

/// <summary>
/// <see cref="JsonSerializer"/> converter for <see cref="PortableLogEvent"/>, in the wire format
/// described on <see cref="PortableLogEventJson"/>. Applied through an attribute on the type, so it
/// also works inside source-generated <see cref="JsonSerializerContext"/>s.
/// </summary>
internal sealed class PortableLogEventJsonConverter : JsonConverter<PortableLogEvent>
{
    /// <inheritdoc />
    public override PortableLogEvent? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.TokenType == JsonTokenType.Null ? null : PortableJsonReader.ReadEvent(ref reader);

    /// <inheritdoc />
    public override void Write(Utf8JsonWriter writer, PortableLogEvent value, JsonSerializerOptions options) =>
        PortableJsonWriter.WriteEvent(writer, value);
}
