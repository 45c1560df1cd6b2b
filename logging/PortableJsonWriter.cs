using System.Globalization;
using System.Text.Json;
using Serilog.Events;

namespace Puma.Logging;

/// <summary>Writes <see cref="PortableLogEvent"/> in the wire format described on <see cref="PortableLogEventJson"/>.</summary>
internal static class PortableJsonWriter
{
    internal const string DateTimeFormat = "yyyy'-'MM'-'dd'T'HH':'mm':'ss'.'fffffff";
    internal const string DateOnlyFormat = "yyyy'-'MM'-'dd";
    internal const string TimeOnlyFormat = "HH':'mm':'ss'.'fffffff";

    internal static readonly JsonEncodedText[] LevelNames =
    [
        JsonEncodedText.Encode("Verbose"),
        JsonEncodedText.Encode("Debug"),
        JsonEncodedText.Encode("Information"),
        JsonEncodedText.Encode("Warning"),
        JsonEncodedText.Encode("Error"),
        JsonEncodedText.Encode("Fatal"),
    ];

    private static readonly JsonEncodedText Kind = JsonEncodedText.Encode("$");
    private static readonly JsonEncodedText V = JsonEncodedText.Encode("v");

    public static void WriteEvent(Utf8JsonWriter w, PortableLogEvent e)
    {
        w.WriteStartObject();
        WriteRoundTrip(w, "ts"u8, e.Timestamp);
        var level = (int)e.Level;
        if ((uint)level < (uint)LevelNames.Length)
            w.WriteString("lvl"u8, LevelNames[level]);
        else
            w.WriteNumber("lvl"u8, level);

        w.WriteString("mt"u8, e.MessageTemplate);
        if (e.Properties.Count > 0)
        {
            w.WriteStartObject("p"u8);
            foreach (var pair in e.Properties)
            {
                w.WritePropertyName(pair.Key);
                WriteValue(w, pair.Value);
            }

            w.WriteEndObject();
        }

        if (e.Exception is not null)
        {
            w.WritePropertyName("x"u8);
            WriteException(w, e.Exception);
        }

        if (e.TraceId is not null)
            w.WriteString("tid"u8, e.TraceId);

        if (e.SpanId is not null)
            w.WriteString("sid"u8, e.SpanId);

        w.WriteEndObject();
    }

    public static void WriteException(Utf8JsonWriter w, PortableException x)
    {
        w.WriteStartObject();
        w.WriteString("type"u8, x.Type);
        w.WriteString("msg"u8, x.Message);
        if (x.StackTrace is not null)
            w.WriteString("stack"u8, x.StackTrace);

        w.WriteString("text"u8, x.Text);
        w.WriteNumber("hr"u8, x.HResult);
        if (x.InnerExceptions.Count > 0)
        {
            w.WriteStartArray("inner"u8);
            foreach (var inner in x.InnerExceptions)
                WriteException(w, inner);

            w.WriteEndArray();
        }

        w.WriteEndObject();
    }

    public static void WriteValue(Utf8JsonWriter w, LogEventPropertyValue value)
    {
        switch (value)
        {
            case ScalarValue scalar:
                WriteScalar(w, scalar.Value);
                break;

            case SequenceValue sequence:
                w.WriteStartArray();
                foreach (var element in sequence.Elements)
                    WriteValue(w, element);

                w.WriteEndArray();
                break;

            case StructureValue structure:
                w.WriteStartObject();
                w.WriteString(Kind, "S"u8);
                if (structure.TypeTag is not null)
                    w.WriteString("tag"u8, structure.TypeTag);

                w.WriteStartObject("p"u8);
                foreach (var property in structure.Properties)
                {
                    w.WritePropertyName(property.Name);
                    WriteValue(w, property.Value);
                }

                w.WriteEndObject();
                w.WriteEndObject();
                break;

            case DictionaryValue dictionary:
                w.WriteStartObject();
                w.WriteString(Kind, "D"u8);
                w.WriteStartArray("e"u8);
                foreach (var pair in dictionary.Elements)
                {
                    w.WriteStartArray();
                    WriteScalar(w, pair.Key.Value);
                    WriteValue(w, pair.Value);
                    w.WriteEndArray();
                }

                w.WriteEndArray();
                w.WriteEndObject();
                break;

            default:
                WriteScalar(w, RemoteObjectValue.From(value));
                break;
        }
    }

    public static void WriteScalar(Utf8JsonWriter w, object? value)
    {
        switch (value)
        {
            case null:
                w.WriteNullValue();
                return;
            case string s:
                w.WriteStringValue(s);
                return;
            case bool b:
                w.WriteBooleanValue(b);
                return;
            case int i:
                w.WriteNumberValue(i);
                return;
        }

        w.WriteStartObject();
        switch (value)
        {
            case long l:
                w.WriteString(Kind, "i8"u8);
                w.WriteNumber(V, l);
                break;
            case double d:
                w.WriteString(Kind, "f8"u8);
                if (double.IsFinite(d))
                    w.WriteNumber(V, d);
                else
                    w.WriteString(V, d.ToString("R", CultureInfo.InvariantCulture));

                break;
            case float f:
                w.WriteString(Kind, "f4"u8);
                if (float.IsFinite(f))
                    w.WriteNumber(V, f);
                else
                    w.WriteString(V, f.ToString("R", CultureInfo.InvariantCulture));

                break;
            case decimal m:
                w.WriteString(Kind, "m"u8);
                w.WriteString(V, m.ToString(CultureInfo.InvariantCulture));
                break;
            case sbyte sb:
                w.WriteString(Kind, "i1"u8);
                w.WriteNumber(V, sb);
                break;
            case byte by:
                w.WriteString(Kind, "u1"u8);
                w.WriteNumber(V, by);
                break;
            case short sh:
                w.WriteString(Kind, "i2"u8);
                w.WriteNumber(V, sh);
                break;
            case ushort us:
                w.WriteString(Kind, "u2"u8);
                w.WriteNumber(V, us);
                break;
            case uint ui:
                w.WriteString(Kind, "u4"u8);
                w.WriteNumber(V, ui);
                break;
            case ulong ul:
                w.WriteString(Kind, "u8"u8);
                w.WriteNumber(V, ul);
                break;
            case Int128 i128:
                w.WriteString(Kind, "i16"u8);
                w.WriteString(V, i128.ToString(CultureInfo.InvariantCulture));
                break;
            case UInt128 u128:
                w.WriteString(Kind, "u16"u8);
                w.WriteString(V, u128.ToString(CultureInfo.InvariantCulture));
                break;
            case char c:
                w.WriteString(Kind, "c"u8);
                w.WriteNumber(V, (int)c);
                break;
            case DateTime dt:
                w.WriteString(Kind, "dt"u8);
                WriteFormatted(w, "v"u8, dt, DateTimeFormat);
                w.WriteString("k"u8, dt.Kind switch
                {
                    DateTimeKind.Utc => "U"u8,
                    DateTimeKind.Local => "L"u8,
                    _ => "N"u8,
                });
                break;
            case DateTimeOffset dto:
                w.WriteString(Kind, "dto"u8);
                WriteRoundTrip(w, "v"u8, dto);
                break;
            case TimeSpan ts:
                w.WriteString(Kind, "ts"u8);
                WriteFormatted(w, "v"u8, ts, "c");
                break;
            case DateOnly date:
                w.WriteString(Kind, "do"u8);
                WriteFormatted(w, "v"u8, date, DateOnlyFormat);
                break;
            case TimeOnly time:
                w.WriteString(Kind, "to"u8);
                WriteFormatted(w, "v"u8, time, TimeOnlyFormat);
                break;
            case Guid g:
                w.WriteString(Kind, "g"u8);
                WriteFormatted(w, "v"u8, g, "D");
                break;
            case Uri uri:
                w.WriteString(Kind, "uri"u8);
                w.WriteString(V, uri.OriginalString);
                w.WriteBoolean("abs"u8, uri.IsAbsoluteUri);
                break;
            case byte[] bytes:
                w.WriteString(Kind, "b"u8);
                w.WriteBase64String(V, bytes);
                break;
            case RemoteEnumValue e:
                w.WriteString(Kind, "e"u8);
                w.WriteString(V, e.Name);
                w.WriteString("type"u8, e.TypeName);
                w.WriteString("d"u8, e.NumericValue);
                break;
            case Enum e:
                var re = RemoteEnumValue.From(e);
                w.WriteString(Kind, "e"u8);
                w.WriteString(V, re.Name);
                w.WriteString("type"u8, re.TypeName);
                w.WriteString("d"u8, re.NumericValue);
                break;
            default:
                var o = value as RemoteObjectValue ?? RemoteObjectValue.From(value);
                w.WriteString(Kind, "o"u8);
                w.WriteString(V, o.Text);
                w.WriteString("type"u8, o.TypeName);
                break;
        }

        w.WriteEndObject();
    }

    private static void WriteRoundTrip(Utf8JsonWriter w, ReadOnlySpan<byte> name, DateTimeOffset value)
    {
        Span<byte> buffer = stackalloc byte[40];
        if (System.Buffers.Text.Utf8Formatter.TryFormat(value, buffer, out var written, new System.Buffers.StandardFormat('O')))
            w.WriteString(name, buffer[..written]);
        else
            WriteFormatted(w, name, value, "O");
    }

    private static void WriteFormatted<T>(Utf8JsonWriter w, ReadOnlySpan<byte> name, T value, string format)
        where T : ISpanFormattable
    {
        Span<char> buffer = stackalloc char[64];
        if (value.TryFormat(buffer, out var written, format, CultureInfo.InvariantCulture))
            w.WriteString(name, buffer[..written]);
        else
            w.WriteString(name, value.ToString(format, CultureInfo.InvariantCulture));
    }
}
