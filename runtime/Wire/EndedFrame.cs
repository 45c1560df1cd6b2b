using System.Buffers;
using System.Text.Json;
using Puma.Logging;

namespace Puma.Runtime.Wire;

/// <summary>
/// The <see cref="ControlMessageKind.Ended"/> frame in binary: the outcome's kind (a string), then a presence byte and,
/// for a run that ended with an error, the <see cref="PortableException"/>'s JSON to the end of the payload. Binary like
/// <see cref="StartedFrame"/>: a child whose run ends well sends it without setting up System.Text.Json's serializer,
/// which a child that never used it would otherwise do on its way out (10 ms of its stop on the 2-core machine).
/// </summary>
internal static class EndedFrame
{
    /// <summary>An Ended frame for <paramref name="ended"/>.</summary>
    public static ControlFrame Create(ChildEndedMessage ended)
    {
        ArgumentNullException.ThrowIfNull(ended);
        var buffer = new ArrayBufferWriter<byte>(64);
        WirePayloadWriter.WriteString(buffer, ended.Kind);
        WirePayloadWriter.WriteByte(buffer, ended.Error is null ? (byte)0 : (byte)1);
        if (ended.Error is { } error)
            buffer.Write(JsonSerializer.SerializeToUtf8Bytes(error, WireJsonContext.Default.PortableException));
        return new ControlFrame(ControlMessageKind.Ended, buffer.WrittenSpan.ToArray());
    }

    /// <summary>Reads a frame written by <see cref="Create"/>; a short or corrupt one throws <see cref="InvalidDataException"/> naming the field.</summary>
    public static ChildEndedMessage Read(ControlFrame frame)
    {
        var reader = new WirePayloadReader(frame.Payload.Span, frame.Kind);
        var kind = reader.ReadString("outcome");
        switch (reader.ReadByte("error presence"))
        {
            case 0:
                reader.ExpectEnd();
                return new ChildEndedMessage(kind, null);
            case 1:
                var json = reader.ReadRest("error JSON");
                try
                {
                    return new ChildEndedMessage(kind, JsonSerializer.Deserialize(json, WireJsonContext.Default.PortableException)
                        ?? throw reader.Corrupt("the error is null"));
                }
                catch (JsonException e)
                {
                    throw new InvalidDataException(reader.Corrupt($"the error is not valid JSON: {e.Message}").Message, e);
                }
            case var other:
                throw reader.Corrupt($"error presence byte {other} is neither 0 nor 1");
        }
    }
}
