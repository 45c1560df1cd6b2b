using System.Buffers.Binary;

namespace Puma.Runtime.Wire;

/// <summary>
/// <see cref="ControlMessageKind.Status"/> frames of a runnable's loop, child to parent. Payload: the report's time
/// (UTC ticks as int64 and the offset in minutes as int16, little endian), then the value (<see cref="WireValue"/>).
/// </summary>
internal static class StatusFrame
{
    private const int HeaderLength = sizeof(long) + sizeof(short);

    /// <summary>A status frame reporting <paramref name="value"/> at <paramref name="timestamp"/>.</summary>
    public static ControlFrame Create(object value, DateTimeOffset timestamp)
    {
        ArgumentNullException.ThrowIfNull(value);
        return new ControlFrame(ControlMessageKind.Status, WireValue.Payload(HeaderLength, timestamp, WriteHeader, value));
    }

    /// <summary>Reads a frame written by <see cref="Create"/>: the value (a <see cref="System.Text.Json.JsonElement"/> when its type cannot be loaded here) and its time.</summary>
    public static (object Value, DateTimeOffset Timestamp) Read(ControlFrame frame)
    {
        var reader = new WirePayloadReader(frame.Payload.Span, frame.Kind);
        var ticks = reader.ReadInt64("timestamp");
        var offsetMinutes = reader.ReadInt16("timestamp offset");
        if (ticks < DateTime.MinValue.Ticks || ticks > DateTime.MaxValue.Ticks)
            throw reader.Corrupt($"timestamp {ticks} is outside {DateTime.MinValue.Ticks}..{DateTime.MaxValue.Ticks} ticks");
        if (offsetMinutes is < -14 * 60 or > 14 * 60)
            throw reader.Corrupt($"timestamp offset {offsetMinutes} is outside -840..840 minutes");
        var offset = TimeSpan.FromMinutes(offsetMinutes);
        var timestamp = new DateTimeOffset(new DateTime(ticks, DateTimeKind.Utc)).ToOffset(offset);
        return (WireValue.Read(ref reader, fallback: null)!, timestamp);
    }

    private static void WriteHeader(Span<byte> span, DateTimeOffset timestamp)
    {
        BinaryPrimitives.WriteInt64LittleEndian(span, timestamp.UtcTicks);
        BinaryPrimitives.WriteInt16LittleEndian(span[sizeof(long)..], (short)timestamp.Offset.TotalMinutes);
    }
}
