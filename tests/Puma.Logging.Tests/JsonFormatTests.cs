using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Serilog.Events;

namespace Puma.Logging.Tests;

[JsonSerializable(typeof(ControlMessage))]
internal sealed partial class TestJsonContext : JsonSerializerContext
{
}

internal sealed record ControlMessage(string Kind, PortableLogEvent? Log);

public sealed class JsonFormatTests
{
    [Fact]
    public void Wire_format_is_stable()
    {
        var e = new PortableLogEvent(
            new DateTimeOffset(2026, 11, 22, 5, 40, 7, TimeSpan.FromHours(2)).AddTicks(1234567),
            LogEventLevel.Warning,
            "Hello {Name} {N} {L} {S} {Seq} {D}",
            new Dictionary<string, LogEventPropertyValue>
            {
                ["Name"] = new ScalarValue("wörld"),
                ["N"] = new ScalarValue(42),
                ["L"] = new ScalarValue(42L),
                ["S"] = new StructureValue(new[] { new LogEventProperty("A", new ScalarValue(true)) }, "T"),
                ["Seq"] = new SequenceValue(new[] { new ScalarValue(null), new ScalarValue(1.5) }),
                ["D"] = new DictionaryValue(new[] { new KeyValuePair<ScalarValue, LogEventPropertyValue>(new ScalarValue("k"), new ScalarValue('c')) }),
            },
            new PortableException("X.Y", "msg", "   at A()", "X.Y: msg\n   at A()", -1, null));

        var json = PortableLogEventJson.Serialize(e);

        Assert.Equal(
            """{"ts":"2026-11-22T05:40:07.1234567+02:00","lvl":"Warning","mt":"Hello {Name} {N} {L} {S} {Seq} {D}","p":{"Name":"wörld","N":42,"L":{"$":"i8","v":42},"S":{"$":"S","tag":"T","p":{"A":true}},"Seq":[null,{"$":"f8","v":1.5}],"D":{"$":"D","e":[["k",{"$":"c","v":99}]]}},"x":{"type":"X.Y","msg":"msg","stack":"   at A()","text":"X.Y: msg\n   at A()","hr":-1}}""",
            json);
    }

    [Fact]
    public void Works_inside_a_source_generated_context_and_with_the_serializer()
    {
        var original = PropertyRoundTripTests.Event("Hi {X}", ("X", new ScalarValue(Guid.NewGuid())));
        var message = new ControlMessage("log", PortableLogEvent.FromLogEvent(original));

        var json = JsonSerializer.Serialize(message, TestJsonContext.Default.ControlMessage);
        var back = JsonSerializer.Deserialize(json, TestJsonContext.Default.ControlMessage)!;

        Assert.Equal("log", back.Kind);
        LogAssert.EventsEqual(original, back.Log!.ToLogEvent());
        Assert.Null(JsonSerializer.Deserialize("""{"Kind":"x","Log":null}""", TestJsonContext.Default.ControlMessage)!.Log);
    }

    [Fact]
    public void Unknown_members_are_skipped_and_member_order_is_free()
    {
        var json = """{"future":{"a":[1,2]},"mt":"m {A}","lvl":"Error","p":{"A":1},"ts":"2026-01-01T00:00:00.0000000+00:00","x":null}""";

        var e = PortableLogEventJson.Deserialize(json);

        Assert.Equal(LogEventLevel.Error, e.Level);
        Assert.Equal("m 1", e.ToLogEvent().RenderMessage());
        Assert.Null(e.Exception);
    }

    [Theory]
    [InlineData("")]
    [InlineData("[]")]
    [InlineData("""{"lvl":"Error","mt":"m"}""")]
    [InlineData("""{"ts":"2026-01-01T00:00:00.0000000+00:00","lvl":"Loud","mt":"m"}""")]
    [InlineData("""{"ts":"yesterday","lvl":"Error","mt":"m"}""")]
    [InlineData("""{"ts":"2026-01-01T00:00:00.0000000+00:00","lvl":"Error","mt":"m","p":{"A":{"$":"zz","v":1}}}""")]
    [InlineData("""{"ts":"2026-01-01T00:00:00.0000000+00:00","lvl":"Error","mt":"m","p":{"A":{"v":1}}}""")]
    [InlineData("""{"ts":"2026-01-01T00:00:00.0000000+00:00","lvl":"Error","mt":"m","p":{"A":{"$":"u1","v":300}}}""")]
    [InlineData("""{"ts":"2026-01-01T00:00:00.0000000+00:00","lvl":"Error","mt":"m","p":{"A":{"$":"g","v":"nope"}}}""")]
    [InlineData("""{"ts":"2026-01-01T00:00:00.0000000+00:00","lvl":"Error","mt":"m","p":{"A":{"$":"dt","v":"2026-01-01T00:00:00.0000000","k":"Q"}}}""")]
    [InlineData("""{"ts":"2026-01-01T00:00:00.0000000+00:00","lvl":"Error","mt":"m","p":{"A":{"$":"D","e":[[[1],2]]}}}""")]
    [InlineData("""{"ts":"2026-01-01T00:00:00.0000000+00:00","lvl":"Error","mt":"m","p":{" ":1}}""")]
    [InlineData("""{"ts":"2026-01-01T00:00:00.0000000+00:00","lvl":"Error","mt":"m","tid":"xyz"}""")]
    [InlineData("""{"ts":"2026-01-01T00:00:00.0000000+00:00","lvl":"Error","mt":"m","x":{"msg":"no type"}}""")]
    [InlineData("""{"ts":"2026-01-01T00:00:00.0000000+00:00","lvl":"Error","mt":"m"} trailing""")]
    [InlineData("""{"ts":"2026-01-01T00:00:00.0000000+00:00","lvl":"Error","mt":"m","p":{"A":[1,2""")]
    public void Malformed_input_throws_json_exception(string json)
    {
        Assert.ThrowsAny<JsonException>(() => PortableLogEventJson.Deserialize(Encoding.UTF8.GetBytes(json)));
    }

    [Fact]
    public void Deeply_nested_values_within_limits_round_trip()
    {
        LogEventPropertyValue value = new ScalarValue("leaf");
        for (var i = 0; i < 60; i++)
        {
            value = i % 2 == 0
                ? new SequenceValue(new[] { value })
                : new StructureValue(new[] { new LogEventProperty("N", value) });
        }

        var original = PropertyRoundTripTests.Event("{V}", ("V", value));

        LogAssert.EventsEqual(original, LogAssert.ThroughJson(original));
    }

    [Fact]
    public void Many_events_can_be_read_one_after_another_from_one_buffer()
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        for (var i = 0; i < 3; i++)
            PortableLogEventJson.Write(buffer, PortableLogEvent.FromLogEvent(PropertyRoundTripTests.Event("n {I}", ("I", new ScalarValue(i)))));

        var reader = new Utf8JsonReader(buffer.WrittenSpan, new JsonReaderOptions { AllowMultipleValues = true });
        var seen = new List<string>();
        while (reader.Read())
            seen.Add(PortableLogEventJson.Read(ref reader).ToLogEvent().RenderMessage());

        Assert.Equal(new[] { "n 0", "n 1", "n 2" }, seen);
    }

    [Fact]
    public void Unpaired_surrogate_in_a_string_does_not_break_the_stream()
    {
        var original = PropertyRoundTripTests.Event("{S}", ("S", new ScalarValue("a\uD800b")));

        var received = LogAssert.ThroughJson(original);

        var text = Assert.IsType<string>(((ScalarValue)received.Properties["S"]).Value);
        Assert.Equal(3, text.Length);
        Assert.Equal('a', text[0]);
        Assert.Equal('b', text[2]);
    }
}
