using System.Diagnostics;
using System.Globalization;
using Serilog.Events;
using Serilog.Parsing;

namespace Puma.Logging.Tests;

public sealed class PropertyRoundTripTests
{
    public enum Color
    {
        Red = 1,
        Green = 2,
    }

    [Flags]
    public enum Access : ushort
    {
        None = 0,
        Read = 1,
        Write = 2,
    }

    public static TheoryData<object?> Scalars() => new()
    {
        null,
        "",
        "plain",
        "unicode: héllo wörld — 日本語 🐆 \"quoted\" \\ back\nnew line\t\u0001",
        true,
        false,
        0,
        int.MinValue,
        int.MaxValue,
        long.MinValue,
        long.MaxValue,
        (long)5,
        ulong.MaxValue,
        (ulong)0,
        uint.MaxValue,
        (uint)7,
        short.MinValue,
        ushort.MaxValue,
        sbyte.MinValue,
        byte.MaxValue,
        Int128.MinValue,
        UInt128.MaxValue,
        0.0,
        -0.0,
        0.1,
        1.0 / 3.0,
        double.Epsilon,
        double.MaxValue,
        double.MinValue,
        double.NaN,
        double.PositiveInfinity,
        double.NegativeInfinity,
        1.5f,
        float.MaxValue,
        float.Epsilon,
        float.NaN,
        float.NegativeInfinity,
        -0.0f,
        decimal.MaxValue,
        decimal.MinValue,
        1.10m,
        0.000m,
        -123.4500m,
        'x',
        '\0',
        'é',
        '\uD83D',
        new DateTime(2026, 11, 22, 5, 40, 7, DateTimeKind.Utc).AddTicks(1234567),
        new DateTime(2026, 1, 2, 3, 4, 5, DateTimeKind.Local).AddTicks(1),
        new DateTime(2026, 1, 2, 3, 4, 5, DateTimeKind.Unspecified),
        DateTime.MinValue,
        DateTime.MaxValue,
        new DateTimeOffset(2026, 11, 22, 5, 40, 7, TimeSpan.FromHours(5.5)).AddTicks(9999999),
        new DateTimeOffset(2026, 11, 22, 5, 40, 7, TimeSpan.FromHours(-14)),
        new DateTimeOffset(2026, 11, 22, 5, 40, 7, TimeSpan.FromHours(14)),
        DateTimeOffset.MinValue,
        DateTimeOffset.MaxValue,
        TimeSpan.Zero,
        TimeSpan.FromTicks(1),
        TimeSpan.MinValue,
        TimeSpan.MaxValue,
        TimeSpan.FromDays(-3.25),
        new DateOnly(2026, 11, 22),
        new TimeOnly(23, 59, 59, 999).Add(TimeSpan.FromTicks(9999)),
        Guid.Empty,
        Guid.Parse("6f9619ff-8b86-d011-b42d-00cf4fc964ff"),
        new Uri("https://example.com/a b?x=1&y=ü#frag"),
        new Uri("relative/path?q", UriKind.Relative),
        new Uri("/rooted", UriKind.Relative),
        Color.Green,
        (Color)42,
        Access.Read | Access.Write,
        new byte[] { 0, 1, 2, 255 },
        Array.Empty<byte>(),
    };

    [Theory]
    [MemberData(nameof(Scalars))]
    public void Scalar_round_trips_through_json_with_its_clr_type(object? value)
    {
        var original = Event("Value {V} done", ("V", new ScalarValue(value)));

        var received = LogAssert.ThroughJson(original);

        LogAssert.EventsEqual(original, received);
    }

    [Fact]
    public void Formatted_holes_render_the_same()
    {
        var original = Event(
            "{D:F3} {I:X8} {T:HH:mm} {E:D} {M:N2} {S:l} {G:N}",
            ("D", new ScalarValue(Math.PI)),
            ("I", new ScalarValue(255)),
            ("T", new ScalarValue(new DateTime(2026, 1, 1, 13, 14, 0))),
            ("E", new ScalarValue(Color.Green)),
            ("M", new ScalarValue(1234.5m)),
            ("S", new ScalarValue("literal")),
            ("G", new ScalarValue(Guid.Parse("6f9619ff-8b86-d011-b42d-00cf4fc964ff"))));

        var received = LogAssert.ThroughJson(original);

        LogAssert.EventsEqual(original, received);
        Assert.Equal("3.142 000000FF 13:14 2 1,234.50 literal 6f9619ff8b86d011b42d00cf4fc964ff", received.RenderMessage(CultureInfo.InvariantCulture));
    }

    [Fact]
    public void Sequences_structures_and_dictionaries_round_trip_nested()
    {
        var nested = new StructureValue(
            new[]
            {
                new LogEventProperty("Id", new ScalarValue(42L)),
                new LogEventProperty("Name", new ScalarValue("ünï")),
                new LogEventProperty("Missing", new ScalarValue(null)),
                new LogEventProperty("Tags", new SequenceValue(new[] { new ScalarValue("a"), new ScalarValue(null), new ScalarValue(1.5) })),
                new LogEventProperty("Inner", new StructureValue(new[] { new LogEventProperty("Deep", new SequenceValue(Array.Empty<LogEventPropertyValue>())) })),
                new LogEventProperty("Map", new DictionaryValue(new[]
                {
                    new KeyValuePair<ScalarValue, LogEventPropertyValue>(new ScalarValue("k"), new ScalarValue(1)),
                    new KeyValuePair<ScalarValue, LogEventPropertyValue>(new ScalarValue(7), new SequenceValue(new[] { new ScalarValue(true) })),
                    new KeyValuePair<ScalarValue, LogEventPropertyValue>(new ScalarValue(Guid.Empty), new StructureValue(Array.Empty<LogEventProperty>(), "Empty")),
                    new KeyValuePair<ScalarValue, LogEventPropertyValue>(new ScalarValue(Color.Red), new ScalarValue(null)),
                    new KeyValuePair<ScalarValue, LogEventPropertyValue>(new ScalarValue(null), new ScalarValue("null key")),
                })),
            },
            "Order");
        var sequenceOfStructures = new SequenceValue(new LogEventPropertyValue[]
        {
            nested,
            new StructureValue(Array.Empty<LogEventProperty>()),
            new SequenceValue(new[] { new SequenceValue(new[] { new ScalarValue(ulong.MaxValue) }) }),
            new DictionaryValue(Array.Empty<KeyValuePair<ScalarValue, LogEventPropertyValue>>()),
        });
        var duplicateNames = new StructureValue(new[]
        {
            new LogEventProperty("A", new ScalarValue(1)),
            new LogEventProperty("A", new ScalarValue(2)),
        });

        var original = Event(
            "Order {@Order} list {List} dup {Dup}",
            ("Order", nested),
            ("List", sequenceOfStructures),
            ("Dup", duplicateNames),
            ("Extra property not in template", new ScalarValue("x")));

        var received = LogAssert.ThroughJson(original);

        LogAssert.EventsEqual(original, received);
    }

    [Fact]
    public void Values_captured_by_a_real_logger_round_trip()
    {
        var (logger, sink) = CollectingSink.CreateLogger();
        var order = new { Id = 7, Customer = "Zoë", Lines = new[] { new { Sku = "A-1", Qty = 2, Price = 9.99m } }, When = DateTimeOffset.Now };
        var map = new Dictionary<string, int> { ["one"] = 1, ["two"] = 2 };
        logger.Information(
            "Order {@Order} for {Customer} with {Map} and {Numbers} at {Color} {Null} {$Stringified}",
            order,
            "Zoë",
            map,
            new List<long> { 1, long.MaxValue },
            Color.Red,
            null,
            new Version(1, 2, 3));

        var original = sink.Single();
        var received = LogAssert.ThroughJson(original);

        LogAssert.EventsEqual(original, received);
        Assert.IsType<DictionaryValue>(received.Properties["Map"]);
        Assert.IsType<StructureValue>(received.Properties["Order"]);
        Assert.IsType<SequenceValue>(received.Properties["Numbers"]);
    }

    [Fact]
    public void Timestamp_offset_level_template_and_trace_ids_are_kept()
    {
        foreach (var level in Enum.GetValues<LogEventLevel>())
        {
            var ts = new DateTimeOffset(2026, 11, 22, 7, 8, 9, TimeSpan.FromMinutes(-570)).AddTicks(1234567);
            var original = new LogEvent(
                ts,
                level,
                null,
                new MessageTemplateParser().Parse("{Count,5} items {0} {@x}"),
                new[] { new LogEventProperty("Count", new ScalarValue(3)), new LogEventProperty("0", new ScalarValue("zero")) },
                ActivityTraceId.CreateRandom(),
                ActivitySpanId.CreateRandom());

            var received = LogAssert.ThroughJson(original);

            LogAssert.EventsEqual(original, received);
        }
    }

    [Fact]
    public void Unknown_scalar_types_become_remote_objects_that_render_the_same()
    {
        var original = Event("{V} {W}", ("V", new ScalarValue(new Version(1, 2))), ("W", new ScalarValue(new CustomText())));

        var received = LogAssert.ThroughJson(original);

        Assert.Equal(original.RenderMessage(), received.RenderMessage());
        var v = Assert.IsType<RemoteObjectValue>(((ScalarValue)received.Properties["V"]).Value);
        Assert.Equal("System.Version", v.TypeName);
        Assert.Equal("1.2", v.Text);
    }

    [Fact]
    public void Portable_event_survives_a_second_hop_unchanged()
    {
        var original = Event("{E} {O}", ("E", new ScalarValue(Access.Write)), ("O", new ScalarValue(new Version(3, 4))));

        var once = LogAssert.ThroughJson(original);
        var twice = LogAssert.ThroughJson(once);

        LogAssert.EventsEqual(once, twice);
        Assert.Equal(
            PortableLogEventJson.Serialize(PortableLogEvent.FromLogEvent(once)),
            PortableLogEventJson.Serialize(PortableLogEvent.FromLogEvent(twice)));
    }

    [Fact]
    public void In_memory_round_trip_without_json_is_lossless_too()
    {
        var original = Event("{A} {B}", ("A", new ScalarValue(decimal.MinValue)), ("B", new SequenceValue(new[] { new ScalarValue('q') })));

        var received = PortableLogEvent.FromLogEvent(original).ToLogEvent();

        LogAssert.EventsEqual(original, received);
    }

    internal static LogEvent Event(string template, params (string Name, LogEventPropertyValue Value)[] properties) =>
        new(
            new DateTimeOffset(2026, 11, 22, 5, 40, 7, 123, TimeSpan.FromHours(2)),
            LogEventLevel.Information,
            null,
            new MessageTemplateParser().Parse(template),
            properties.Select(p => new LogEventProperty(p.Name, p.Value)));

    private sealed class CustomText
    {
        public override string ToString() => "custom {text}";
    }
}
