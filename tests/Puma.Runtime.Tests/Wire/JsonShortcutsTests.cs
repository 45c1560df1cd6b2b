using System.Collections;
using System.Text.Json;
using System.Text.Json.Serialization;
using Puma.Runtime.Wire;

namespace Puma.Runtime.Tests.Wire;

/// <summary>
/// The serializer's own form of numbers, strings and marker classes, read and written without it: every byte and
/// every value must be what <see cref="JsonSerializer"/> gives with the wire's options, and anything else must be
/// left to it.
/// </summary>
public sealed class JsonShortcutsTests
{
    public sealed record Marker;

    public sealed class PlainMarker
    {
        public int NotSerialized; // a field: the wire's options do not serialize fields
    }

    public sealed record WithProperty(int Count);

    [JsonConverter(typeof(JsonStringEnumConverter))]
    public sealed class WithConverterAttribute;

    public sealed class WithCallback : IJsonOnDeserialized
    {
        public void OnDeserialized()
        {
        }
    }

    public sealed class WithoutDefaultConstructor(int value)
    {
        public override string ToString() => value.ToString(System.Globalization.CultureInfo.InvariantCulture);
    }

    public abstract class AbstractMarker;

    public sealed class EnumerableMarker : IEnumerable
    {
        public IEnumerator GetEnumerator() => Array.Empty<int>().GetEnumerator();
    }

    public sealed class WithJsonConstructor
    {
        public WithJsonConstructor()
        {
        }

        [JsonConstructor]
        public WithJsonConstructor(int ignored) => _ = ignored;
    }

    public sealed class ThrowingMarker
    {
        public ThrowingMarker() => throw new InvalidOperationException("no marker today");
    }

    public sealed class IncludedField
    {
        [JsonInclude]
        public int Limit;
    }

    public sealed class IncludedPrivateGetter
    {
        [JsonInclude]
        public int Limit { private get; set; }

        public int Peek() => Limit;
    }

    public sealed class IncludedInternal
    {
        [JsonInclude]
        internal int Limit { get; set; }
    }

    public sealed class RequiredMember
    {
        public required int Limit { private get; init; }
    }

    public sealed class InternalExtensionData
    {
        [JsonInclude]
        [JsonExtensionData]
        internal Dictionary<string, object>? Rest { get; set; }
    }

    public class IncludedBase
    {
        [JsonInclude]
        private int _limit;

        public void Set(int limit) => _limit = limit;
    }

    public sealed class DerivedFromIncluded : IncludedBase;

    public class RequiredBase
    {
        public required int Limit { private get; init; }
    }

    public sealed class DerivedFromRequired : RequiredBase;

    public sealed class AsyncEnumerableMarker : IAsyncEnumerable<int>
    {
        public IAsyncEnumerator<int> GetAsyncEnumerator(CancellationToken cancellationToken = default) => throw new NotSupportedException();
    }

    public static TheoryData<object> Values() =>
    [
        true, false,
        0, 1, -1, int.MaxValue, int.MinValue,
        0L, long.MaxValue, long.MinValue, (long)int.MaxValue + 1,
        0.0, -0.0, 1.5, -2.25e-300, double.MaxValue, double.MinValue, double.Epsilon, 0.1 + 0.2, 1e21, 123456789.125,
        double.NaN, double.PositiveInfinity, double.NegativeInfinity,
        "", "plain", "é ü 漢字 🐆", "quote \" backslash \\ tab \t newline \n", "<script>&'+</script>", "\u0001\u001f\u007f",
        new Marker(), new PlainMarker(),
    ];

    [Theory]
    [MemberData(nameof(Values))]
    public void AValueIsWrittenByteForByteAsTheSerializerWritesIt(object value)
    {
        var expected = JsonSerializer.SerializeToUtf8Bytes(value, value.GetType(), RunnableConfiguration.ValueOptions);
        Assert.Equal(Encoding(expected), Encoding(Write(value)!));
    }

    [Theory]
    [MemberData(nameof(Values))]
    public void AValueIsReadAsTheSerializerReadsIt(object value)
    {
        var type = value.GetType();
        var json = JsonSerializer.SerializeToUtf8Bytes(value, type, RunnableConfiguration.ValueOptions);
        var expected = JsonSerializer.Deserialize(json, type, RunnableConfiguration.ValueOptions);

        Assert.True(JsonShortcuts.TryRead(json, type, out var fromBytes));
        using var document = JsonDocument.Parse(json);
        Assert.True(JsonShortcuts.TryRead(document.RootElement, type, out var fromElement));
        foreach (var read in new[] { fromBytes, fromElement })
        {
            Assert.IsType(type, read);
            if (value is Marker or PlainMarker)
                Assert.NotSame(value, read); // a new marker, as the serializer makes
            else
                Assert.Equal(expected, read);
        }

        if (value is double d)
            Assert.Equal(BitConverter.DoubleToInt64Bits(d), BitConverter.DoubleToInt64Bits((double)fromBytes!)); // -0.0 stays -0.0
    }

    [Fact]
    public void ANullStringIsReadAsNull()
    {
        Assert.True(JsonShortcuts.TryRead("null"u8, typeof(string), out var value));
        Assert.Null(value);
        using var document = JsonDocument.Parse("null");
        Assert.True(JsonShortcuts.TryRead(document.RootElement, typeof(string), out value));
        Assert.Null(value);
    }

    [Theory]
    [InlineData(typeof(Marker), true)]
    [InlineData(typeof(PlainMarker), true)]
    [InlineData(typeof(WithProperty), false)]
    [InlineData(typeof(WithConverterAttribute), false)]
    [InlineData(typeof(WithCallback), false)]
    [InlineData(typeof(WithoutDefaultConstructor), false)]
    [InlineData(typeof(AbstractMarker), false)]
    [InlineData(typeof(EnumerableMarker), false)]
    [InlineData(typeof(WithJsonConstructor), false)]
    [InlineData(typeof(IncludedField), false)]
    [InlineData(typeof(IncludedPrivateGetter), false)]
    [InlineData(typeof(IncludedInternal), false)]
    [InlineData(typeof(RequiredMember), false)]
    [InlineData(typeof(InternalExtensionData), false)]
    [InlineData(typeof(DerivedFromIncluded), false)]
    [InlineData(typeof(AsyncEnumerableMarker), false)]
    [InlineData(typeof(DerivedFromRequired), false)]
    [InlineData(typeof(object), false)]
    [InlineData(typeof(string), false)]
    [InlineData(typeof(int), false)]
    public void OnlyClassesTheSerializerWritesAsAnEmptyObjectAreMarkers(Type type, bool marker) =>
        Assert.Equal(marker, JsonShortcuts.IsMarker(type));

    [Theory]
    [InlineData(typeof(int), "\"12\"")]       // a string where a number is expected: the serializer's error
    [InlineData(typeof(int), "1.5")]
    [InlineData(typeof(int), "2147483648")]   // out of range
    [InlineData(typeof(int), "null")]
    [InlineData(typeof(int), "1 2")]          // trailing content
    [InlineData(typeof(long), "true")]
    [InlineData(typeof(bool), "1")]
    [InlineData(typeof(double), "\"nan\"")]   // the literals are case-sensitive
    [InlineData(typeof(string), "12")]
    [InlineData(typeof(Marker), "{\"Extra\":1}")]
    [InlineData(typeof(Marker), "[]")]
    [InlineData(typeof(WithProperty), "{}")]
    [InlineData(typeof(decimal), "1")]        // a type not handled here
    [InlineData(typeof(int), "{")]
    public void EverythingElseIsLeftToTheSerializer(Type type, string json)
    {
        Assert.False(JsonShortcuts.TryRead(System.Text.Encoding.UTF8.GetBytes(json), type, out _));
        if (json != "1 2" && json != "{")
        {
            using var document = JsonDocument.Parse(json);
            Assert.False(JsonShortcuts.TryRead(document.RootElement, type, out _));
        }
    }

    [Fact]
    public void AClassWithAnIncludedMemberKeepsItsValueOnTheWire()
    {
        var read = MessageFrame.Read(MessageFrame.Create(ControlMessageKind.Command, 1, new IncludedField { Limit = 42 }));
        Assert.Equal(42, Assert.IsType<IncludedField>(read.Value).Limit);

        var hidden = new IncludedPrivateGetter { Limit = 7 };
        Assert.Equal(7, Assert.IsType<IncludedPrivateGetter>(MessageFrame.Read(MessageFrame.Create(ControlMessageKind.Command, 2, hidden)).Value).Peek());
    }

    [Fact]
    public void AStringTheReaderCannotDecodeIsLeftToTheSerializer()
    {
        var loneSurrogate = "\"\\uD800\""u8.ToArray();
        Assert.False(JsonShortcuts.TryRead(loneSurrogate, typeof(string), out _));
        using var document = JsonDocument.Parse(loneSurrogate);
        Assert.False(JsonShortcuts.TryRead(document.RootElement, typeof(string), out _));
        Assert.Throws<JsonException>(() => JsonSerializer.Deserialize(loneSurrogate, typeof(string), RunnableConfiguration.ValueOptions));
    }

    [Fact]
    public void OtherTypesAreNotWritten()
    {
        Assert.Null(Write(new WithProperty(3)));
        Assert.Null(Write(1.5m));
        Assert.Null(Write((short)1));
        Assert.Null(Write(new object()));
    }

    [Fact]
    public void AMarkerWhoseConstructorThrowsThrowsThatException()
    {
        var error = Assert.Throws<InvalidOperationException>(() => JsonShortcuts.TryRead("{}"u8, typeof(ThrowingMarker), out _));
        Assert.Equal("no marker today", error.Message);
        using var document = JsonDocument.Parse("{}");
        error = Assert.Throws<InvalidOperationException>(() => JsonShortcuts.TryRead(document.RootElement, typeof(ThrowingMarker), out _));
        Assert.Equal("no marker today", error.Message);
    }

    [Fact]
    public void WireValuesOfTheseTypesComeBackAsTheirType()
    {
        foreach (var value in new object[] { 42, 7L, true, 2.5, double.NaN, "text", new Marker() })
        {
            var frame = MessageFrame.Create(ControlMessageKind.Request, 9, value);
            var read = MessageFrame.Read(frame);
            Assert.Equal(9, read.Id);
            Assert.IsType(value.GetType(), read.Value);
            if (value is not Marker)
                Assert.Equal(value, read.Value);
        }
    }

    private static byte[]? Write(object value)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using var writer = new Utf8JsonWriter(buffer);
        if (!JsonShortcuts.TryWrite(writer, value))
            return null;
        writer.Flush();
        return buffer.WrittenSpan.ToArray();
    }

    private static string Encoding(byte[] bytes) => System.Text.Encoding.UTF8.GetString(bytes);
}
