using System.Text.Json;

namespace Puma.Buffers;

/// <summary>
/// What a shared object's JSON carries to another process: its name, its segment, its element type(s) and size,
/// and, for an array, its lengths. Never its contents.
/// </summary>
/// <param name="Name">The object's name in its runtime.</param>
/// <param name="Segment">The shared segment's name (what the other process maps).</param>
/// <param name="Type">The element type's full name (key and value types, comma separated, for a dictionary).</param>
/// <param name="Size">The element's size in bytes (0 when it does not apply).</param>
/// <param name="Lengths">An array's lengths; null for other objects.</param>
internal sealed record SharedObjectIdentity(string Name, string Segment, string Type, int Size, int[]? Lengths)
{
    /// <summary>Writes the identity as a JSON object.</summary>
    public void Write(Utf8JsonWriter writer)
    {
        writer.WriteStartObject();
        writer.WriteString("name", Name);
        writer.WriteString("segment", Segment);
        writer.WriteString("type", Type);
        writer.WriteNumber("size", Size);
        if (Lengths is not null)
        {
            writer.WriteStartArray("lengths");
            foreach (var length in Lengths)
                writer.WriteNumberValue(length);
            writer.WriteEndArray();
        }
        writer.WriteEndObject();
    }

    /// <summary>
    /// Reads an identity (null for JSON null) and checks it names <paramref name="expectedType"/> of
    /// <paramref name="expectedSize"/> bytes; <paramref name="what"/> names the object's kind in errors.
    /// </summary>
    /// <exception cref="JsonException">The JSON is not an identity, or it is of another element type or size.</exception>
    public static SharedObjectIdentity? Read(ref Utf8JsonReader reader, string what, string expectedType, int expectedSize)
    {
        try
        {
            return ReadChecked(ref reader, what, expectedType, expectedSize);
        }
        catch (Exception e) when (e is InvalidOperationException or FormatException)
        {
            // A token of the wrong kind (a number for "name", a string for "size") or a number out of range.
            throw new JsonException($"A {what}'s JSON is malformed: {e.Message}", e);
        }
    }

    private static SharedObjectIdentity? ReadChecked(ref Utf8JsonReader reader, string what, string expectedType, int expectedSize)
    {
        if (reader.TokenType == JsonTokenType.Null)
            return null;
        if (reader.TokenType != JsonTokenType.StartObject)
            throw new JsonException($"A {what} is a JSON object (name, segment, type, size), not a {reader.TokenType}.");
        string? name = null, segment = null, type = null;
        int? size = null;
        List<int>? lengths = null;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
        {
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
                case "type":
                    type = reader.GetString();
                    break;
                case "size":
                    size = reader.GetInt32();
                    break;
                case "lengths":
                    lengths = ReadLengths(ref reader, what);
                    break;
                default:
                    throw new JsonException($"A {what}'s JSON has an unknown property \"{property}\".");
            }
        }
        if (string.IsNullOrEmpty(name) || string.IsNullOrEmpty(segment) || type is null || size is null)
            throw new JsonException($"A {what}'s JSON needs \"name\", \"segment\", \"type\" and \"size\".");
        if (type != expectedType || size != expectedSize)
            throw new JsonException($"{what} '{name}' holds {type} ({size} bytes), not {expectedType} ({expectedSize} bytes): declare the property with the type the object was created with.");
        return new SharedObjectIdentity(name, segment, type, size.Value, lengths?.ToArray());
    }

    /// <summary>Same as <see cref="Read(ref Utf8JsonReader, string, string, int)"/> for an element type.</summary>
    public static SharedObjectIdentity? Read(ref Utf8JsonReader reader, string what, Type expectedType, int expectedSize) =>
        Read(ref reader, what, expectedType.FullName!, expectedSize);

    private static List<int> ReadLengths(ref Utf8JsonReader reader, string what)
    {
        if (reader.TokenType != JsonTokenType.StartArray)
            throw new JsonException($"A {what}'s \"lengths\" is a JSON array of integers, not a {reader.TokenType}.");
        var lengths = new List<int>();
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
            lengths.Add(reader.GetInt32());
        return lengths;
    }
}
