using System.Text.Json;
using System.Text.Json.Serialization;

namespace Puma.Logging;

/// <summary>
/// <see cref="JsonSerializer"/> converter for <see cref="PortableException"/>, in the exception format
/// described on <see cref="PortableLogEventJson"/>.
/// </summary>
internal sealed class PortableExceptionJsonConverter : JsonConverter<PortableException>
{
    /// <inheritdoc />
    public override PortableException? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.TokenType == JsonTokenType.Null ? null : PortableJsonReader.ReadException(ref reader);

    /// <inheritdoc />
    public override void Write(Utf8JsonWriter writer, PortableException value, JsonSerializerOptions options) =>
        PortableJsonWriter.WriteException(writer, value);
}
