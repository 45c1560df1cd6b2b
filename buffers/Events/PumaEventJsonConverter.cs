using System.Text.Json;
using System.Text.Json.Serialization;

namespace Puma.Buffers.Events;

/// <summary>
/// Writes a <see cref="PumaEvent"/> as its identity, <c>{"name":"...","segment":"..."}</c>, and reads one back as an
/// event that attaches to that segment on first use: so a runnable placed in a child process receives the event
/// as a configuration property, and the parent's round-trip check maps nothing.
/// </summary>
internal sealed class PumaEventJsonConverter : JsonConverter<PumaEvent>
{
    public override PumaEvent? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.Null) return null;
        if (reader.TokenType != JsonTokenType.StartObject)
            throw new JsonException($"A PumaEvent is a JSON object {{\"name\":...,\"segment\":...}}, not a {reader.TokenType}.");
        string? name = null;
        string? segment = null;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
        {
            if (reader.TokenType != JsonTokenType.PropertyName)
                throw new JsonException($"Unexpected {reader.TokenType} in a PumaEvent.");
            var property = reader.GetString();
            reader.Read();
            switch (property)
            {
                case "name":
                    name = reader.GetString();
                    break;
                case "segment":
                    segment = reader.GetString();
                    break;
                default:
                    throw new JsonException($"A PumaEvent has no property '{property}' (only 'name' and 'segment').");
            }
        }
        if (string.IsNullOrWhiteSpace(name) || string.IsNullOrWhiteSpace(segment))
            throw new JsonException($"A PumaEvent needs a 'name' and a 'segment'; got name '{name}' and segment '{segment}'.");
        return PumaEvent.Attaching(name, segment);
    }

    public override void Write(Utf8JsonWriter writer, PumaEvent value, JsonSerializerOptions options)
    {
        writer.WriteStartObject();
        writer.WriteString("name", value.Name);
        writer.WriteString("segment", value.SegmentName);
        writer.WriteEndObject();
    }
}
