using System.Buffers.Binary;

namespace Puma.Runtime.Wire;

/// <summary>The <see cref="ControlMessageKind.Started"/> frame in binary: the child's process id (int32 little endian).</summary>
internal static class StartedFrame
{
    /// <summary>A Started frame for <paramref name="started"/>.</summary>
    public static ControlFrame Create(ChildStartedMessage started)
    {
        ArgumentNullException.ThrowIfNull(started);
        var payload = new byte[sizeof(int)];
        BinaryPrimitives.WriteInt32LittleEndian(payload, started.ProcessId);
        return new ControlFrame(ControlMessageKind.Started, payload);
    }

    /// <summary>Reads a frame written by <see cref="Create"/>.</summary>
    public static ChildStartedMessage Read(ControlFrame frame)
    {
        var reader = new WirePayloadReader(frame.Payload.Span, frame.Kind);
        var processId = reader.ReadInt32("process id");
        reader.ExpectEnd();
        return new ChildStartedMessage(processId);
    }
}
