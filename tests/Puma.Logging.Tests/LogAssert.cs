using System.Globalization;
using Serilog.Events;

namespace Puma.Logging.Tests;

/// <summary>Structural comparison of Serilog events and property values.</summary>
internal static class LogAssert
{
    public static void EventsEqual(LogEvent expected, LogEvent actual)
    {
        Assert.Equal(expected.Timestamp, actual.Timestamp);
        Assert.Equal(expected.Timestamp.Offset, actual.Timestamp.Offset);
        Assert.Equal(expected.Level, actual.Level);
        Assert.Equal(expected.MessageTemplate.Text, actual.MessageTemplate.Text);
        Assert.Equal(expected.RenderMessage(CultureInfo.InvariantCulture), actual.RenderMessage(CultureInfo.InvariantCulture));
        Assert.Equal(expected.TraceId, actual.TraceId);
        Assert.Equal(expected.SpanId, actual.SpanId);
        Assert.Equal(expected.Properties.Keys.ToArray(), actual.Properties.Keys.ToArray());
        foreach (var pair in expected.Properties)
            ValuesEqual(pair.Value, actual.Properties[pair.Key]);
    }

    public static void ValuesEqual(LogEventPropertyValue expected, LogEventPropertyValue actual)
    {
        Assert.Equal(expected.ToString(), actual.ToString());
        switch (expected)
        {
            case ScalarValue e:
                var a = Assert.IsType<ScalarValue>(actual);
                ScalarsEqual(e.Value, a.Value);
                break;
            case SequenceValue e:
                var aSeq = Assert.IsType<SequenceValue>(actual);
                Assert.Equal(e.Elements.Count, aSeq.Elements.Count);
                for (var i = 0; i < e.Elements.Count; i++)
                    ValuesEqual(e.Elements[i], aSeq.Elements[i]);

                break;
            case StructureValue e:
                var aStr = Assert.IsType<StructureValue>(actual);
                Assert.Equal(e.TypeTag, aStr.TypeTag);
                Assert.Equal(e.Properties.Select(p => p.Name), aStr.Properties.Select(p => p.Name));
                for (var i = 0; i < e.Properties.Count; i++)
                    ValuesEqual(e.Properties[i].Value, aStr.Properties[i].Value);

                break;
            case DictionaryValue e:
                var aDict = Assert.IsType<DictionaryValue>(actual);
                var ek = e.Elements.ToArray();
                var ak = aDict.Elements.ToArray();
                Assert.Equal(ek.Length, ak.Length);
                for (var i = 0; i < ek.Length; i++)
                {
                    ValuesEqual(ek[i].Key, ak[i].Key);
                    ValuesEqual(ek[i].Value, ak[i].Value);
                }

                break;
            default:
                Assert.Fail($"Unexpected value kind {expected.GetType()}");
                break;
        }
    }

    public static void ScalarsEqual(object? expected, object? actual)
    {
        switch (expected)
        {
            case null:
                Assert.Null(actual);
                return;
            case Enum e:
                var remote = Assert.IsType<RemoteEnumValue>(actual);
                Assert.Equal(e.ToString(), remote.Name);
                Assert.Equal(e.GetType().FullName, remote.TypeName);
                Assert.Equal(e.ToString("D"), remote.NumericValue);
                return;
            case byte[] bytes:
                Assert.Equal(bytes, Assert.IsType<byte[]>(actual));
                return;
        }

        Assert.NotNull(actual);
        Assert.Equal(expected.GetType(), actual.GetType());
        Assert.Equal(expected, actual);
        switch (expected)
        {
            case double d:
                Assert.Equal(BitConverter.DoubleToInt64Bits(d), BitConverter.DoubleToInt64Bits((double)actual));
                break;
            case float f:
                Assert.Equal(BitConverter.SingleToInt32Bits(f), BitConverter.SingleToInt32Bits((float)actual));
                break;
            case decimal m:
                Assert.Equal(m.ToString(CultureInfo.InvariantCulture), ((decimal)actual).ToString(CultureInfo.InvariantCulture));
                break;
            case DateTime dt:
                Assert.Equal(dt.Kind, ((DateTime)actual).Kind);
                Assert.Equal(dt.Ticks, ((DateTime)actual).Ticks);
                break;
            case DateTimeOffset dto:
                Assert.Equal(dto.Offset, ((DateTimeOffset)actual).Offset);
                Assert.Equal(dto.Ticks, ((DateTimeOffset)actual).Ticks);
                break;
            case Uri uri:
                Assert.Equal(uri.OriginalString, ((Uri)actual).OriginalString);
                Assert.Equal(uri.IsAbsoluteUri, ((Uri)actual).IsAbsoluteUri);
                break;
        }
    }

    /// <summary>FromLogEvent, JSON bytes, back, ToLogEvent.</summary>
    public static LogEvent ThroughJson(LogEvent logEvent)
    {
        var portable = PortableLogEvent.FromLogEvent(logEvent);
        var bytes = PortableLogEventJson.SerializeToUtf8Bytes(portable);
        return PortableLogEventJson.Deserialize(bytes).ToLogEvent();
    }
}
