using System.Buffers;

namespace Puma.Runtime.Wire;

/// <summary>
/// The <see cref="ControlMessageKind.Ready"/> frame in binary: the command type names, then the request type names,
/// each list an int32 count and its strings (int32 UTF-8 length and bytes). Binary like <see cref="StartFrame"/>, so
/// a new child sends it without setting up System.Text.Json's serializer.
/// </summary>
internal static class ReadyFrame
{
    /// <summary>A Ready frame for <paramref name="ready"/>.</summary>
    public static ControlFrame Create(ChildReadyMessage ready)
    {
        ArgumentNullException.ThrowIfNull(ready);
        var buffer = new ArrayBufferWriter<byte>(512);
        WriteList(buffer, ready.Commands);
        WriteList(buffer, ready.Requests);
        return new ControlFrame(ControlMessageKind.Ready, buffer.WrittenSpan.ToArray());
    }

    /// <summary>Reads a frame written by <see cref="Create"/>; a short or corrupt one throws <see cref="InvalidDataException"/> naming the field.</summary>
    public static ChildReadyMessage Read(ControlFrame frame)
    {
        var reader = new WirePayloadReader(frame.Payload.Span, frame.Kind);
        var commands = ReadList(ref reader, "command", frame.Payload.Length);
        var requests = ReadList(ref reader, "request", frame.Payload.Length);
        reader.ExpectEnd();
        return new ChildReadyMessage(commands, requests);
    }

    private static void WriteList(ArrayBufferWriter<byte> buffer, string[] names)
    {
        WirePayloadWriter.WriteInt32(buffer, names.Length);
        foreach (var name in names)
            WirePayloadWriter.WriteString(buffer, name);
    }

    private static string[] ReadList(ref WirePayloadReader reader, string what, int payloadLength)
    {
        var count = reader.ReadInt32($"{what} count");
        if (count < 0 || count > payloadLength)
            throw reader.Corrupt($"{what} count {count} is outside 0..{payloadLength}");
        var names = new string[count];
        for (var i = 0; i < count; i++)
            names[i] = reader.ReadString($"{what} type name");
        return names;
    }
}
