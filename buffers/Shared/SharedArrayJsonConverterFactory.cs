using System.Text.Json;
using System.Text.Json.Serialization;

namespace Puma.Buffers;

/// <summary>Makes the <see cref="SharedArrayJsonConverter{T}"/> of each <see cref="SharedArray{T}"/>.</summary>
internal sealed class SharedArrayJsonConverterFactory : JsonConverterFactory
{
    public override bool CanConvert(Type typeToConvert) =>
        typeToConvert.IsGenericType && typeToConvert.GetGenericTypeDefinition() == typeof(SharedArray<>);

    public override JsonConverter? CreateConverter(Type typeToConvert, JsonSerializerOptions options) =>
        (JsonConverter?)Activator.CreateInstance(typeof(SharedArrayJsonConverter<>).MakeGenericType(typeToConvert.GetGenericArguments()[0]));
}
