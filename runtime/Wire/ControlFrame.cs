using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Puma.Runtime.Wire;

/// <summary>
/// One message of the control protocol: a kind and a payload (binary for the hot messages: <see cref="MessageFrame"/>,
/// <see cref="ReplyFrame"/>, <see cref="StatusFrame"/>; JSON for the rare message records; opaque bytes otherwise). On the wire: payload length (int32, little endian), kind (one byte), payload.
/// </summary>
/// <param name="Kind">What the frame is.</param>
/// <param name="Payload">The payload bytes; empty when the kind carries nothing.</param>
internal sealed record ControlFrame(ControlMessageKind Kind, ReadOnlyMemory<byte> Payload)
{
    /// <summary>A frame without payload.</summary>
    public static ControlFrame Empty(ControlMessageKind kind) => new(kind, ReadOnlyMemory<byte>.Empty);

    /// <summary>A frame whose payload is <paramref name="value"/> serialized with a source-generated contract.</summary>
    public static ControlFrame Create<T>(ControlMessageKind kind, T value, JsonTypeInfo<T> typeInfo) =>
        new(kind, JsonSerializer.SerializeToUtf8Bytes(value, typeInfo));

    /// <summary>Deserializes the JSON payload; throws <see cref="InvalidDataException"/> when it is empty or null.</summary>
    public T Read<T>(JsonTypeInfo<T> typeInfo)
    {
        if (Payload.IsEmpty)
            throw new InvalidDataException($"Control frame {Kind} has no payload; expected a {typeof(T).Name}.");

        return JsonSerializer.Deserialize(Payload.Span, typeInfo)
            ?? throw new InvalidDataException($"Control frame {Kind} carries null; expected a {typeof(T).Name}.");
    }
}
