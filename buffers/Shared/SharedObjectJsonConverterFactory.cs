using System.Text.Json;
using System.Text.Json.Serialization;

namespace Puma.Buffers;

/// <summary>Makes the JSON converter of each shared object type: <see cref="SharedArray{T}"/>, <see cref="SharedValue{T}"/>, <see cref="SharedDictionary{TKey, TValue}"/>.</summary>
internal sealed class SharedObjectJsonConverterFactory : JsonConverterFactory
{
    public override bool CanConvert(Type typeToConvert) => ConverterOf(typeToConvert) is not null;

    public override JsonConverter? CreateConverter(Type typeToConvert, JsonSerializerOptions options) =>
        (JsonConverter?)Activator.CreateInstance(ConverterOf(typeToConvert)!.MakeGenericType(typeToConvert.GetGenericArguments()));

    private static Type? ConverterOf(Type type)
    {
        if (!type.IsGenericType)
            return null;
        var definition = type.GetGenericTypeDefinition();
        if (definition == typeof(SharedArray<>))
            return typeof(SharedArrayJsonConverter<>);
        if (definition == typeof(SharedValue<>))
            return typeof(SharedValueJsonConverter<>);
        if (definition == typeof(SharedDictionary<,>))
            return typeof(SharedDictionaryJsonConverter<,>);
        return null;
    }
}
