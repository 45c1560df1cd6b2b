using System.Text.Json;
using System.Text.Json.Serialization;

namespace Puma.Buffers;

/// <summary>
/// A <see cref="SharedArray{T}"/> as JSON: its identity (name, segment, element type and size, lengths), never its
/// elements. Reading gives a copy that maps the segment on first use, so a runnable rebuilt in a child process
/// shares the parent's array, and a copy that is only read back (the parent's round-trip check) maps nothing.
/// </summary>
internal sealed unsafe class SharedArrayJsonConverter<T> : JsonConverter<SharedArray<T>>
    where T : unmanaged
{
    public override SharedArray<T>? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        var identity = SharedObjectIdentity.Read(ref reader, "SharedArray", typeof(T), sizeof(T));
        if (identity is null)
            return null;
        if (identity.Lengths is null)
            throw new JsonException($"Shared array '{identity.Name}': the JSON has no \"lengths\".");
        try
        {
            return SharedArray<T>.Attaching(identity.Name, identity.Segment, identity.Lengths);
        }
        catch (ArgumentException e)
        {
            throw new JsonException(e.Message, e);
        }
    }

    public override void Write(Utf8JsonWriter writer, SharedArray<T> value, JsonSerializerOptions options) =>
        new SharedObjectIdentity(value.Name, value.SegmentName, typeof(T).FullName!, sizeof(T), value.Lengths.ToArray()).Write(writer);
}
