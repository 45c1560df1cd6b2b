using System.Buffers.Binary;

namespace Puma.Runtime.Wire;

/// <summary>
/// <see cref="ControlMessageKind.Command"/> and <see cref="ControlMessageKind.Request"/> frames, parent to child.
/// Payload: the message id (int64 little endian), then the value (<see cref="WireValue"/>: type name and JSON).
/// </summary>
internal static class MessageFrame
{
    private const int HeaderLength = sizeof(long);

    /// <summary>A Command or Request frame carrying <paramref name="value"/> with id <paramref name="id"/>.</summary>
    public static ControlFrame Create(ControlMessageKind kind, long id, object value)
    {
        if (kind is not (ControlMessageKind.Command or ControlMessageKind.Request))
            throw new ArgumentOutOfRangeException(nameof(kind), kind, $"A message frame is a Command or a Request, not {kind}.");
        ArgumentNullException.ThrowIfNull(value);
        return new ControlFrame(kind, WireValue.Payload(HeaderLength, id, static (span, id) => BinaryPrimitives.WriteInt64LittleEndian(span, id), value));
    }

    /// <summary>Reads a frame written by <see cref="Create"/>; the value is a <see cref="System.Text.Json.JsonElement"/> when its type cannot be loaded here.</summary>
    public static WireMessage Read(ControlFrame frame)
    {
        var reader = new WirePayloadReader(frame.Payload.Span, frame.Kind);
        var id = reader.ReadInt64("message id");
        return new WireMessage(id, WireValue.Read(ref reader, fallback: null)!);
    }
}
