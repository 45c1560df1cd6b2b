using System.Text.Json;
using System.Text.Json.Serialization;

namespace Puma.Buffers;

/// <summary>A <see cref="SharedValue{T}"/> as JSON: its identity, never its value; reading gives a copy that maps the segment on first use.</summary>
internal sealed unsafe class SharedValueJsonConverter<T> : JsonConverter<SharedValue<T>>
    where T : unmanaged
{
    public override SharedValue<T>? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        var identity = SharedObjectIdentity.Read(ref reader, "SharedValue", typeof(T), sizeof(T));
        return identity is null ? null : SharedValue<T>.Attaching(identity.Name, identity.Segment);
    }

    public override void Write(Utf8JsonWriter writer, SharedValue<T> value, JsonSerializerOptions options) =>
        new SharedObjectIdentity(value.Name, value.SegmentName, typeof(T).FullName!, sizeof(T), null).Write(writer);
}
