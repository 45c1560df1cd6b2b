using System.Buffers;
using System.Buffers.Binary;
using System.Text;
using System.Text.Json;

namespace Puma.Runtime.Wire;

/// <summary>
/// The <see cref="ControlMessageKind.Start"/> frame in binary, so the child rebuilds its start message without
/// System.Text.Json's serializer (whose set-up, JIT-compiled in every new child, cost more than the rest of reading
/// it). Strings are an int32 UTF-8 length and the bytes; the configuration's properties are their JSON object's text.
/// </summary>
/// <remarks>
/// Fields in order: assembly path, type name, runnable name, log minimum level, parent base directory, restart count
/// (int32), properties JSON, port count (int32), then per port: property name, buffer name, direction (byte), element
/// type, reader slot (int32), segment (presence byte, then the string); the assembly's full name and the type's
/// <see cref="MetadataReference"/> (each a presence byte, then the string); then, only when the child counts metrics, the metrics segment (presence byte 1, then the string; a
/// reader takes it only when bytes remain). Parent and child are always the same build of Puma.Runtime (the host loads
/// the one beside it), so the layout is not versioned.
/// </remarks>
internal static class StartFrame
{
    /// <summary>A Start frame carrying <paramref name="start"/>.</summary>
    public static ControlFrame Create(ChildStartMessage start)
    {
        ArgumentNullException.ThrowIfNull(start);
        var buffer = new ArrayBufferWriter<byte>(1024);
        WirePayloadWriter.WriteString(buffer, start.AssemblyPath);
        WirePayloadWriter.WriteString(buffer, start.TypeName);
        WirePayloadWriter.WriteString(buffer, start.RunnableName);
        WirePayloadWriter.WriteString(buffer, start.LogMinimumLevel);
        WirePayloadWriter.WriteString(buffer, start.ParentBaseDirectory);
        WirePayloadWriter.WriteInt32(buffer, start.RestartCount);
        WirePayloadWriter.WriteString(buffer, start.Configuration.Properties.GetRawText());
        WirePayloadWriter.WriteInt32(buffer, start.Configuration.Ports.Count);
        foreach ((var name, var port) in start.Configuration.Ports)
        {
            WirePayloadWriter.WriteString(buffer, name);
            WirePayloadWriter.WriteString(buffer, port.BufferName);
            WirePayloadWriter.WriteByte(buffer, (byte)port.Direction);
            WirePayloadWriter.WriteString(buffer, port.ElementType);
            WirePayloadWriter.WriteInt32(buffer, port.ReaderSlot);
            WirePayloadWriter.WriteOptionalString(buffer, port.Segment);
        }

        WirePayloadWriter.WriteOptionalString(buffer, start.AssemblyName);
        WirePayloadWriter.WriteOptionalString(buffer, start.TypeReference);

        // Written only when set, as the frame's last field: a reader reads it only when bytes remain.
        if (start.MetricsSegment is { } metrics)
            WirePayloadWriter.WriteOptionalString(buffer, metrics);

        return new ControlFrame(ControlMessageKind.Start, buffer.WrittenSpan.ToArray());
    }

    /// <summary>Reads a frame written by <see cref="Create"/>; a short or corrupt one throws <see cref="InvalidDataException"/> naming the field.</summary>
    public static ChildStartMessage Read(ControlFrame frame)
    {
        if (frame.Kind != ControlMessageKind.Start)
            throw new InvalidDataException($"Expected a Start frame, got {frame.Kind}.");
        var reader = new WirePayloadReader(frame.Payload.Span, frame.Kind);
        var assemblyPath = reader.ReadString("assembly path");
        var typeName = reader.ReadString("type name");
        var runnableName = reader.ReadString("runnable name");
        var level = reader.ReadString("log minimum level");
        var baseDirectory = reader.ReadString("parent base directory");
        var restartCount = reader.ReadInt32("restart count");
        var propertiesJson = reader.ReadString("properties");
        JsonElement properties;
        try
        {
            using var document = JsonDocument.Parse(propertiesJson);
            properties = document.RootElement.Clone();
        }
        catch (JsonException e)
        {
            throw new InvalidDataException(reader.Corrupt($"the properties are not JSON: {e.Message}").Message, e);
        }

        var count = reader.ReadInt32("port count");
        if (count < 0 || count > frame.Payload.Length)
            throw reader.Corrupt($"port count {count} is outside 0..{frame.Payload.Length}");
        var ports = new Dictionary<string, PortBinding>(count, StringComparer.Ordinal);
        for (var i = 0; i < count; i++)
        {
            var name = reader.ReadString("port name");
            var bufferName = reader.ReadString("buffer name");
            var direction = (PortDirection)reader.ReadByte("port direction");
            if (!Enum.IsDefined(direction))
                throw reader.Corrupt($"port {name} has an unknown direction {(byte)direction} (expected 0 reader or 1 writer)");
            var elementType = reader.ReadString("element type");
            var slot = reader.ReadInt32("reader slot");
            ports[name] = new PortBinding(bufferName, direction, elementType, slot) { Segment = reader.ReadOptionalString("segment") };
        }

        var assemblyName = reader.ReadOptionalString("assembly name");
        var typeReference = reader.ReadOptionalString("type reference");

        var metricsSegment = reader.AtEnd ? null : reader.ReadOptionalString("metrics segment");
        reader.ExpectEnd();
        return new ChildStartMessage(assemblyPath, typeName, runnableName, new RunnableConfiguration(properties, ports), level, baseDirectory)
        {
            RestartCount = restartCount,
            AssemblyName = assemblyName,
            TypeReference = typeReference,
            MetricsSegment = metricsSegment,
        };
    }
}
