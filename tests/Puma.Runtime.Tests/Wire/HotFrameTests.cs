using System.Buffers.Binary;
using System.Text;
using System.Text.Json;
using Puma.Logging;
using Puma.Runtime.Wire;
using Reading = Puma.Runtime.Tests.Wire.WireValueTests.Reading;

namespace Puma.Runtime.Tests.Wire;

/// <summary>The binary frames of the hot messages (command, request, reply, status): exact round trips and exact errors.</summary>
public sealed class HotFrameTests
{
    private static readonly string ReadingName = typeof(Reading).AssemblyQualifiedName!;

    [Theory]
    [InlineData((byte)ControlMessageKind.Command)]
    [InlineData((byte)ControlMessageKind.Request)]
    public void ACommandOrRequestComesBackWithItsIdAndValue(byte kindNumber)
    {
        var kind = (ControlMessageKind)kindNumber;
        var frame = MessageFrame.Create(kind, 42, new Reading("x", 2.5));

        Assert.Equal(kind, frame.Kind);
        var payload = frame.Payload.Span;
        Assert.Equal(42, BinaryPrimitives.ReadInt64LittleEndian(payload));
        Assert.Equal(Encoding.UTF8.GetByteCount(ReadingName), BinaryPrimitives.ReadInt32LittleEndian(payload[8..]));
        Assert.Equal("""{"Name":"x","Value":2.5}""", Encoding.UTF8.GetString(payload[(12 + Encoding.UTF8.GetByteCount(ReadingName))..]));
        Assert.Equal(new WireMessage(42, new Reading("x", 2.5)), MessageFrame.Read(frame));
    }

    [Fact]
    public void AValueOfATypeThisProcessCannotLoadComesBackAsJson()
    {
        var frame = new ControlFrame(ControlMessageKind.Command, Message(7, "No.Such.Type, NoSuchAssembly", """{"Name":"y"}"""));

        var message = MessageFrame.Read(frame);

        Assert.Equal(7, message.Id);
        Assert.Equal("y", Assert.IsType<JsonElement>(message.Value).GetProperty("Name").GetString());
    }

    [Fact]
    public void OnlyCommandsAndRequestsAreMessageFrames()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => MessageFrame.Create(ControlMessageKind.Reply, 1, "x"));
        Assert.Equal("kind", error.ParamName);
        Assert.StartsWith("A message frame is a Command or a Request, not Reply.", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AReplyComesBackWithItsValueNullOrError()
    {
        var value = ReplyFrame.Create(9, new Reading("z", -1));
        Assert.Equal(ControlMessageKind.Reply, value.Kind);
        Assert.Equal(9, ReplyFrame.ReadId(value));
        Assert.Equal(new WireReply(9, new Reading("z", -1), null), ReplyFrame.Read(value, typeof(object)));

        var none = ReplyFrame.Create(10, null);
        Assert.Equal(9, none.Payload.Length);
        Assert.Equal(new WireReply(10, null, null), ReplyFrame.Read(none, typeof(Reading)));

        var failed = ReplyFrame.Read(ReplyFrame.Failed(11, PortableException.FromException(new InvalidOperationException("no gain"))), typeof(Reading));
        Assert.Equal(11, failed.Id);
        Assert.Null(failed.Value);
        Assert.Equal(typeof(InvalidOperationException).FullName, failed.Error!.Type);
        Assert.Equal("no gain", failed.Error.Message);
    }

    [Fact]
    public void AReplyOfATypeThisProcessCannotLoadComesBackAsTheExpectedReplyType()
    {
        var payload = new byte[9];
        BinaryPrimitives.WriteInt64LittleEndian(payload, 3);
        payload[8] = (byte)ReplyOutcome.Value;
        byte[] bytes = [.. payload, .. Value("Other.Reading, Other", """{"Name":"w","Value":4}""")];
        var frame = new ControlFrame(ControlMessageKind.Reply, bytes);

        Assert.Equal(new Reading("w", 4), ReplyFrame.Read(frame, typeof(Reading)).Value);
    }

    [Fact]
    public void AStatusComesBackWithItsValueAndTime()
    {
        var at = new DateTimeOffset(2026, 12, 6, 20, 30, 15, 123, TimeSpan.FromHours(2)).AddTicks(4567);

        var frame = StatusFrame.Create(new Reading("s", 1.5), at);
        var (value, timestamp) = StatusFrame.Read(frame);

        Assert.Equal(ControlMessageKind.Status, frame.Kind);
        Assert.Equal(new Reading("s", 1.5), value);
        Assert.Equal(at, timestamp);
        Assert.Equal(at.Offset, timestamp.Offset);
    }

    [Fact]
    public async Task EveryHotFrameCrossesAControlChannelWhole()
    {
        var stream = new MemoryStream();
        var channel = new ControlChannel(stream);
        var at = new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero);
        await channel.SendAsync(MessageFrame.Create(ControlMessageKind.Command, 1, new Reading("c", 1)));
        await channel.SendAsync(MessageFrame.Create(ControlMessageKind.Request, 2, new Reading("r", 2)));
        await channel.SendAsync(ReplyFrame.Create(2, 12));
        await channel.SendAsync(StatusFrame.Create("busy", at));
        stream.Position = 0;

        Assert.Equal(new WireMessage(1, new Reading("c", 1)), MessageFrame.Read((await channel.ReadAsync())!));
        Assert.Equal(new WireMessage(2, new Reading("r", 2)), MessageFrame.Read((await channel.ReadAsync())!));
        Assert.Equal(new WireReply(2, 12, null), ReplyFrame.Read((await channel.ReadAsync())!, typeof(int)));
        Assert.Equal(("busy", at), StatusFrame.Read((await channel.ReadAsync())!));
        Assert.Null(await channel.ReadAsync());
    }

    [Fact]
    public void AShortFrameNamesTheFieldTheOffsetAndTheLength()
    {
        var error = Assert.Throws<InvalidDataException>(() => MessageFrame.Read(new ControlFrame(ControlMessageKind.Request, new byte[3])));
        Assert.Equal("Corrupt Request frame: message id needs 8 bytes at offset 0, but the payload has 3 bytes.", error.Message);

        var reply = Assert.Throws<InvalidDataException>(() => ReplyFrame.Read(new ControlFrame(ControlMessageKind.Reply, new byte[8]), null));
        Assert.Equal("Corrupt Reply frame: reply outcome needs 1 bytes at offset 8, but the payload has 8 bytes.", reply.Message);

        var status = Assert.Throws<InvalidDataException>(() => StatusFrame.Read(new ControlFrame(ControlMessageKind.Status, new byte[9])));
        Assert.Equal("Corrupt Status frame: timestamp offset needs 2 bytes at offset 8, but the payload has 9 bytes.", status.Message);
    }

    [Fact]
    public void ATypeNameLongerThanTheFrameOrTheLimitIsNamed()
    {
        var cut = Message(5, ReadingName, "{}")[..20];
        var error = Assert.Throws<InvalidDataException>(() => MessageFrame.Read(new ControlFrame(ControlMessageKind.Command, cut)));
        Assert.Equal($"Corrupt Command frame: type name needs {Encoding.UTF8.GetByteCount(ReadingName)} bytes at offset 12, but the payload has 20 bytes.", error.Message);

        var huge = new byte[16];
        BinaryPrimitives.WriteInt32LittleEndian(huge.AsSpan(8), 100_000);
        var tooLong = Assert.Throws<InvalidDataException>(() => MessageFrame.Read(new ControlFrame(ControlMessageKind.Command, huge)));
        Assert.Equal("Corrupt Command frame: type name length 100000 at offset 8 is outside 1..4096 bytes.", tooLong.Message);

        var empty = Assert.Throws<InvalidDataException>(() => MessageFrame.Read(new ControlFrame(ControlMessageKind.Command, new byte[12])));
        Assert.Equal("Corrupt Command frame: type name length 0 at offset 8 is outside 1..4096 bytes.", empty.Message);
    }

    [Fact]
    public void AMissingOrBrokenValueIsNamed()
    {
        var noJson = Message(5, ReadingName, "");
        var missing = Assert.Throws<InvalidDataException>(() => MessageFrame.Read(new ControlFrame(ControlMessageKind.Request, noJson)));
        Assert.Equal($"Corrupt Request frame: value JSON is missing at offset {noJson.Length} (payload of {noJson.Length} bytes).", missing.Message);

        var broken = Assert.Throws<InvalidDataException>(() => MessageFrame.Read(new ControlFrame(ControlMessageKind.Request, Message(5, ReadingName, "{\"Name\":"))));
        Assert.StartsWith("Corrupt Request frame: the value is not valid JSON for Reading: ", broken.Message, StringComparison.Ordinal);
        Assert.IsAssignableFrom<JsonException>(broken.InnerException);
    }

    [Fact]
    public void AnUnknownReplyOutcomeIsNamedWithItsNumber()
    {
        var payload = new byte[9];
        payload[8] = 7;
        var error = Assert.Throws<InvalidDataException>(() => ReplyFrame.Read(new ControlFrame(ControlMessageKind.Reply, payload), null));
        Assert.Equal("Corrupt Reply frame: unknown reply outcome 7 (expected 0 null, 1 value or 2 error).", error.Message);
    }

    [Fact]
    public void AStatusTimeOutsideTheCalendarIsNamed()
    {
        var payload = new byte[10];
        BinaryPrimitives.WriteInt64LittleEndian(payload, -1);
        var error = Assert.Throws<InvalidDataException>(() => StatusFrame.Read(new ControlFrame(ControlMessageKind.Status, payload)));
        Assert.Equal($"Corrupt Status frame: timestamp -1 is outside 0..{DateTime.MaxValue.Ticks} ticks.", error.Message);

        BinaryPrimitives.WriteInt64LittleEndian(payload, 0);
        BinaryPrimitives.WriteInt16LittleEndian(payload.AsSpan(8), 900);
        var offset = Assert.Throws<InvalidDataException>(() => StatusFrame.Read(new ControlFrame(ControlMessageKind.Status, payload)));
        Assert.Equal("Corrupt Status frame: timestamp offset 900 is outside -840..840 minutes.", offset.Message);
    }

    [Fact]
    public void AStartFrameComesBackWholeWithItsPorts()
    {
        using var document = JsonDocument.Parse("""{"Gain":2.5,"Label":"é"}""");
        var ports = new Dictionary<string, PortBinding>
        {
            ["Input"] = new("raw", PortDirection.Reader, ReadingName, 1) { Segment = "puma-abc" },
            ["Output"] = new("scaled", PortDirection.Writer, typeof(int).AssemblyQualifiedName!, -1),
        };
        var start = new ChildStartMessage("/app/My.dll", "My.Scale", "scale", new RunnableConfiguration(document.RootElement.Clone(), ports), "Debug", "/app/")
        {
            RestartCount = 3,
        };

        var read = StartFrame.Read(StartFrame.Create(start));

        Assert.Equal(("/app/My.dll", "My.Scale", "scale", "Debug", "/app/", 3), (read.AssemblyPath, read.TypeName, read.RunnableName, read.LogMinimumLevel, read.ParentBaseDirectory, read.RestartCount));
        Assert.Equal("""{"Gain":2.5,"Label":"é"}""", read.Configuration.Properties.GetRawText());
        Assert.Equal(ports, read.Configuration.Ports);
    }

    [Fact]
    public void ACorruptStartFrameIsNamed()
    {
        var frame = StartFrame.Create(new ChildStartMessage("a", "b", "c", new RunnableConfiguration(JsonDocument.Parse("{}").RootElement, new Dictionary<string, PortBinding>()), "Debug", "d"));
        var cut = Assert.Throws<InvalidDataException>(() => StartFrame.Read(new ControlFrame(ControlMessageKind.Start, frame.Payload[..10])));
        Assert.Equal("Corrupt Start frame: runnable name length needs 4 bytes at offset 10, but the payload has 10 bytes.", cut.Message);

        // One more byte is the optional metrics field, absent (0); a byte after it is left over.
        byte[] longer = [.. frame.Payload.Span, 0, 0];
        var extra = Assert.Throws<InvalidDataException>(() => StartFrame.Read(new ControlFrame(ControlMessageKind.Start, longer)));
        Assert.Equal($"Corrupt Start frame: 1 bytes are left over after the last field, at offset {frame.Payload.Length + 1}.", extra.Message);
        Assert.Null(StartFrame.Read(new ControlFrame(ControlMessageKind.Start, longer[..^1])).MetricsSegment);

        var wrong = Assert.Throws<InvalidDataException>(() => StartFrame.Read(ControlFrame.Empty(ControlMessageKind.Stop)));
        Assert.Equal("Expected a Start frame, got Stop.", wrong.Message);
    }

    [Fact]
    public void AnEndedFrameComesBackWholeWithAndWithoutItsError()
    {
        Assert.Equal(new ChildEndedMessage("Stopped", null), EndedFrame.Read(EndedFrame.Create(new ChildEndedMessage("Stopped", null))));
        byte[] bytes = [7, 0, 0, 0, .. "Stopped"u8.ToArray(), 0];
        Assert.Equal(bytes, EndedFrame.Create(new ChildEndedMessage("Stopped", null)).Payload.ToArray());

        var error = PortableException.FromException(new InvalidOperationException("it broke"));
        var read = EndedFrame.Read(EndedFrame.Create(new ChildEndedMessage("Failed", error)));
        Assert.Equal("Failed", read.Kind);
        Assert.True(read.IsFailure);
        Assert.Equal((error.Type, error.Message, error.StackTrace), (read.Error!.Type, read.Error.Message, read.Error.StackTrace));
    }

    [Fact]
    public void ACorruptEndedFrameIsNamed()
    {
        byte[] badPresence = [1, 0, 0, 0, (byte)'x', 2];
        var presence = Assert.Throws<InvalidDataException>(() => EndedFrame.Read(new ControlFrame(ControlMessageKind.Ended, badPresence)));
        Assert.Equal("Corrupt Ended frame: error presence byte 2 is neither 0 nor 1.", presence.Message);

        byte[] noError = [1, 0, 0, 0, (byte)'x', 1];
        var missing = Assert.Throws<InvalidDataException>(() => EndedFrame.Read(new ControlFrame(ControlMessageKind.Ended, noError)));
        Assert.Equal("Corrupt Ended frame: error JSON is missing at offset 6 (payload of 6 bytes).", missing.Message);

        byte[] notJson = [1, 0, 0, 0, (byte)'x', 1, (byte)'{'];
        var json = Assert.Throws<InvalidDataException>(() => EndedFrame.Read(new ControlFrame(ControlMessageKind.Ended, notJson)));
        Assert.StartsWith("Corrupt Ended frame: the error is not valid JSON: ", json.Message);
    }

    [Fact]
    public void StartedAndReadyFramesComeBackWhole()
    {
        Assert.Equal(new ChildStartedMessage(4242), StartedFrame.Read(StartedFrame.Create(new ChildStartedMessage(4242))));

        var ready = ReadyFrame.Read(ReadyFrame.Create(new ChildReadyMessage([ReadingName, "Ünïcode.Type, X"], [])));
        Assert.Equal([ReadingName, "Ünïcode.Type, X"], ready.Commands);
        Assert.Empty(ready.Requests);

        var error = Assert.Throws<InvalidDataException>(() => ReadyFrame.Read(new ControlFrame(ControlMessageKind.Ready, new byte[] { 255, 255, 255, 127 })));
        Assert.Equal("Corrupt Ready frame: command count 2147483647 is outside 0..4.", error.Message);
        var started = Assert.Throws<InvalidDataException>(() => StartedFrame.Read(new ControlFrame(ControlMessageKind.Started, new byte[2])));
        Assert.Equal("Corrupt Started frame: process id needs 4 bytes at offset 0, but the payload has 2 bytes.", started.Message);
    }

    private static byte[] Message(long id, string typeName, string json)
    {
        var header = new byte[8];
        BinaryPrimitives.WriteInt64LittleEndian(header, id);
        return [.. header, .. Value(typeName, json)];
    }

    private static byte[] Value(string typeName, string json)
    {
        var name = Encoding.UTF8.GetBytes(typeName);
        var length = new byte[4];
        BinaryPrimitives.WriteInt32LittleEndian(length, name.Length);
        return [.. length, .. name, .. Encoding.UTF8.GetBytes(json)];
    }
}
