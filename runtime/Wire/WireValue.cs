using System.Buffers;
using System.Buffers.Binary;
using System.Text.Json;

namespace Puma.Runtime.Wire;

/// <summary>
/// A command, request, reply or status value in a binary payload: its type name (int32 length + UTF-8), then its
/// System.Text.Json form (<see cref="RunnableConfiguration.ValueOptions"/>) to the end of the payload. No JSON
/// envelope: the fixed fields before it are binary.
/// </summary>
internal static class WireValue
{
    [ThreadStatic]
    private static ArrayBufferWriter<byte>? s_buffer;

    [ThreadStatic]
    private static Utf8JsonWriter? s_json;

    /// <summary>
    /// A payload of <paramref name="header"/> (fixed fields, written by the caller into the span it is given) followed
    /// by <paramref name="value"/> as a type name and JSON; a value of null writes the header only.
    /// </summary>
    public static byte[] Payload<TState>(int headerLength, TState state, SpanAction<byte, TState> header, object? value)
    {
        var buffer = s_buffer ??= new ArrayBufferWriter<byte>(256);
        buffer.ResetWrittenCount();
        header(buffer.GetSpan(headerLength)[..headerLength], state);
        buffer.Advance(headerLength);
        if (value is not null)
        {
            var type = value.GetType();
            var name = WireTypes.NameOf(type);
            BinaryPrimitives.WriteInt32LittleEndian(buffer.GetSpan(sizeof(int)), name.Length);
            buffer.Advance(sizeof(int));
            buffer.Write(name);
            var json = s_json ??= new Utf8JsonWriter(buffer);
            json.Reset(buffer);
            if (!JsonShortcuts.TryWrite(json, value))
                JsonSerializer.Serialize(json, value, type, RunnableConfiguration.ValueOptions);
            json.Flush();
        }

        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>
    /// Reads a value written by <see cref="Payload{TState}"/>: as its own type when this process can load it, else as
    /// <paramref name="fallback"/>, else as a <see cref="JsonElement"/>.
    /// </summary>
    public static object? Read(ref WirePayloadReader reader, Type? fallback)
    {
        var type = WireTypes.Resolve(reader.ReadTypeName()) ?? fallback;
        var json = reader.ReadRest("value JSON");
        try
        {
            if (type is null)
                return JsonSerializer.Deserialize<JsonElement>(json);

            return JsonShortcuts.TryRead(json, type, out var value) ? value : JsonSerializer.Deserialize(json, type, RunnableConfiguration.ValueOptions);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{reader.Corrupt($"the value is not valid JSON for {type?.Name ?? "any value"}: {e.Message}").Message}", e);
        }
    }
}
