using System.Text.Json;
using System.Text.Json.Serialization;

namespace Puma.Buffers;

/// <summary>A <see cref="SharedDictionary{TKey, TValue}"/> as JSON: its identity, never its entries; reading gives a copy that maps the segment on first use.</summary>
internal sealed class SharedDictionaryJsonConverter<TKey, TValue> : JsonConverter<SharedDictionary<TKey, TValue>>
    where TKey : notnull
{
    private static readonly string Types = typeof(TKey).FullName + "," + typeof(TValue).FullName;

    public override SharedDictionary<TKey, TValue>? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        var identity = SharedObjectIdentity.Read(ref reader, "SharedDictionary", Types, 0);
        return identity is null ? null : SharedDictionary<TKey, TValue>.Attaching(identity.Name, identity.Segment);
    }

    public override void Write(Utf8JsonWriter writer, SharedDictionary<TKey, TValue> value, JsonSerializerOptions options) =>
        new SharedObjectIdentity(value.Name, value.SegmentName, Types, 0, null).Write(writer);
}
