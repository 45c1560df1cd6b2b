using System.Buffers;
using System.Text.Json;

namespace Puma.Buffers.Codecs;

/// <summary>Encodes items as UTF-8 JSON with System.Text.Json (the default for types without a raw codec).</summary>
/// <typeparam name="T">The item type.</typeparam>
public sealed class JsonCodec<T> : IBufferCodec<T>
{
    private readonly JsonSerializerOptions? _options;

    /// <summary>Creates the codec.</summary>
    /// <param name="options">Serializer options; null uses System.Text.Json's defaults.</param>
    public JsonCodec(JsonSerializerOptions? options = null) => _options = options;

    /// <inheritdoc />
    public bool TryGetByteCount(T value, out int byteCount)
    {
        byteCount = 0;
        return false;
    }

    /// <inheritdoc />
    public void Encode(T value, Span<byte> destination) =>
        throw new NotSupportedException("JsonCodec does not know sizes up front; use the IBufferWriter overload.");

    /// <inheritdoc />
    public void Encode(T value, IBufferWriter<byte> destination)
    {
        using var writer = new Utf8JsonWriter(destination);
        JsonSerializer.Serialize(writer, value, _options);
    }

    /// <inheritdoc />
    public T Decode(ReadOnlySpan<byte> source) => JsonSerializer.Deserialize<T>(source, _options)!;
}
