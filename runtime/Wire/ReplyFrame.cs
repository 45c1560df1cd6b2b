using System.Buffers.Binary;
using System.Text.Json;
using Puma.Logging;

namespace Puma.Runtime.Wire;

/// <summary>
/// <see cref="ControlMessageKind.Reply"/> frames, child to parent: the answer to request <c>id</c>. Payload: the id
/// (int64 little endian), a <see cref="ReplyOutcome"/> byte, then for a value its type name and JSON
/// (<see cref="WireValue"/>), for an error the portable exception's JSON, for null nothing.
/// </summary>
internal static class ReplyFrame
{
    private const int HeaderLength = sizeof(long) + 1;

    /// <summary>A reply to request <paramref name="id"/> with <paramref name="value"/> (null allowed).</summary>
    public static ControlFrame Create(long id, object? value) =>
        new(ControlMessageKind.Reply, WireValue.Payload(HeaderLength, (id, value is null ? ReplyOutcome.Null : ReplyOutcome.Value), WriteHeader, value));

    /// <summary>A reply to request <paramref name="id"/> saying its handler threw <paramref name="error"/>.</summary>
    public static ControlFrame Failed(long id, PortableException error)
    {
        var json = JsonSerializer.SerializeToUtf8Bytes(error, WireJsonContext.Default.PortableException);
        var payload = new byte[HeaderLength + json.Length];
        WriteHeader(payload, (id, ReplyOutcome.Error));
        json.CopyTo(payload.AsSpan(HeaderLength));
        return new ControlFrame(ControlMessageKind.Reply, payload);
    }

    /// <summary>The request id a reply frame answers (read before its value, to know the expected reply type).</summary>
    public static long ReadId(ControlFrame frame) => new WirePayloadReader(frame.Payload.Span, frame.Kind).ReadInt64("request id");

    /// <summary>
    /// Reads a frame written by <see cref="Create"/> or <see cref="Failed"/>; the value is rebuilt as its own type, else
    /// <paramref name="replyType"/>, else a <see cref="JsonElement"/>.
    /// </summary>
    public static WireReply Read(ControlFrame frame, Type? replyType)
    {
        var reader = new WirePayloadReader(frame.Payload.Span, frame.Kind);
        var id = reader.ReadInt64("request id");
        var outcome = (ReplyOutcome)reader.ReadByte("reply outcome");
        switch (outcome)
        {
            case ReplyOutcome.Null:
                return new WireReply(id, null, null);
            case ReplyOutcome.Value:
                return new WireReply(id, WireValue.Read(ref reader, replyType), null);
            case ReplyOutcome.Error:
                var json = reader.ReadRest("error JSON");
                try
                {
                    var error = JsonSerializer.Deserialize(json, WireJsonContext.Default.PortableException)
                        ?? throw reader.Corrupt("the error is null");
                    return new WireReply(id, null, error);
                }
                catch (JsonException e)
                {
                    throw new InvalidDataException(reader.Corrupt($"the error is not a portable exception's JSON: {e.Message}").Message, e);
                }
            default:
                throw reader.Corrupt($"unknown reply outcome {(byte)outcome} (expected 0 null, 1 value or 2 error)");
        }
    }

    private static void WriteHeader(Span<byte> span, (long Id, ReplyOutcome Outcome) header)
    {
        BinaryPrimitives.WriteInt64LittleEndian(span, header.Id);
        span[sizeof(long)] = (byte)header.Outcome;
    }
}
