using System.Globalization;
using System.Text.Json;
using Serilog.Events;

namespace Puma.Logging;

/// <summary>Reads <see cref="PortableLogEvent"/> from the wire format described on <see cref="PortableLogEventJson"/>.</summary>
internal static class PortableJsonReader
{
    private static readonly ScalarValue True = new(true);
    private static readonly ScalarValue False = new(false);
    private static readonly IReadOnlyDictionary<string, LogEventPropertyValue> EmptyProperties = new Dictionary<string, LogEventPropertyValue>(0);

    /// <summary>Reads an event; the reader is on its <see cref="JsonTokenType.StartObject"/> and ends on the matching end.</summary>
    public static PortableLogEvent ReadEvent(ref Utf8JsonReader r)
    {
        try
        {
            return ReadEventCore(ref r);
        }
        catch (Exception ex) when (IsDataError(ex))
        {
            throw new JsonException("Invalid portable log event: " + ex.Message, ex);
        }
    }

    /// <summary>Reads an exception; the reader is on its <see cref="JsonTokenType.StartObject"/>.</summary>
    public static PortableException ReadException(ref Utf8JsonReader r)
    {
        try
        {
            return ReadExceptionCore(ref r);
        }
        catch (Exception ex) when (IsDataError(ex))
        {
            throw new JsonException("Invalid portable exception: " + ex.Message, ex);
        }
    }

    private static bool IsDataError(Exception ex) =>
        ex is FormatException or OverflowException or InvalidOperationException or ArgumentException;

    private static PortableLogEvent ReadEventCore(ref Utf8JsonReader r)
    {
        Expect(ref r, JsonTokenType.StartObject);
        DateTimeOffset? timestamp = null;
        LogEventLevel? level = null;
        string? template = null;
        Dictionary<string, LogEventPropertyValue>? properties = null;
        PortableException? exception = null;
        string? traceId = null;
        string? spanId = null;

        while (Next(ref r) == JsonTokenType.PropertyName)
        {
            if (r.ValueTextEquals("ts"u8))
            {
                Next(ref r);
                timestamp = ReadRoundTrip(ref r);
            }
            else if (r.ValueTextEquals("lvl"u8))
            {
                Next(ref r);
                level = ReadLevel(ref r);
            }
            else if (r.ValueTextEquals("mt"u8))
            {
                Next(ref r);
                template = String(ref r);
            }
            else if (r.ValueTextEquals("p"u8))
            {
                Next(ref r);
                Expect(ref r, JsonTokenType.StartObject);
                properties = new Dictionary<string, LogEventPropertyValue>(StringComparer.Ordinal);
                while (Next(ref r) == JsonTokenType.PropertyName)
                {
                    var name = r.GetString()!;
                    Next(ref r);
                    properties[name] = Property(name, ReadValue(ref r)).Value;
                }
            }
            else if (r.ValueTextEquals("x"u8))
            {
                Next(ref r);
                exception = r.TokenType == JsonTokenType.Null ? null : ReadExceptionCore(ref r);
            }
            else if (r.ValueTextEquals("tid"u8))
            {
                Next(ref r);
                traceId = NullableString(ref r);
                if (traceId is not null)
                    ValidateHex(traceId, 32, "tid");
            }
            else if (r.ValueTextEquals("sid"u8))
            {
                Next(ref r);
                spanId = NullableString(ref r);
                if (spanId is not null)
                    ValidateHex(spanId, 16, "sid");
            }
            else
            {
                Next(ref r);
                r.Skip();
            }
        }

        if (timestamp is null || level is null || template is null)
            throw new JsonException("A portable log event needs \"ts\", \"lvl\" and \"mt\".");

        return new PortableLogEvent(
            timestamp.Value,
            level.Value,
            template,
            properties is null || properties.Count == 0 ? EmptyProperties : properties,
            exception,
            traceId,
            spanId,
            owned: true);
    }

    private static PortableException ReadExceptionCore(ref Utf8JsonReader r)
    {
        Expect(ref r, JsonTokenType.StartObject);
        string? type = null;
        string? message = null;
        string? stack = null;
        string? text = null;
        var hresult = 0;
        List<PortableException>? inner = null;
        while (Next(ref r) == JsonTokenType.PropertyName)
        {
            if (r.ValueTextEquals("type"u8))
            {
                Next(ref r);
                type = String(ref r);
            }
            else if (r.ValueTextEquals("msg"u8))
            {
                Next(ref r);
                message = String(ref r);
            }
            else if (r.ValueTextEquals("stack"u8))
            {
                Next(ref r);
                stack = NullableString(ref r);
            }
            else if (r.ValueTextEquals("text"u8))
            {
                Next(ref r);
                text = NullableString(ref r);
            }
            else if (r.ValueTextEquals("hr"u8))
            {
                Next(ref r);
                hresult = r.GetInt32();
            }
            else if (r.ValueTextEquals("inner"u8))
            {
                Next(ref r);
                Expect(ref r, JsonTokenType.StartArray);
                inner = new List<PortableException>();
                while (Next(ref r) != JsonTokenType.EndArray)
                    inner.Add(ReadExceptionCore(ref r));
            }
            else
            {
                Next(ref r);
                r.Skip();
            }
        }

        if (type is null || message is null)
            throw new JsonException("A portable exception needs \"type\" and \"msg\".");

        return new PortableException(type, message, stack, text, hresult, inner);
    }

    /// <summary>Reads one property value; the reader is on its first token and ends on its last.</summary>
    public static LogEventPropertyValue ReadValue(ref Utf8JsonReader r)
    {
        switch (r.TokenType)
        {
            case JsonTokenType.StartArray:
                {
                    var elements = new List<LogEventPropertyValue>();
                    while (Next(ref r) != JsonTokenType.EndArray)
                        elements.Add(ReadValue(ref r));

                    return new SequenceValue(elements);
                }

            case JsonTokenType.StartObject:
                return ReadTagged(ref r);

            default:
                return ReadScalar(ref r);
        }
    }

    private static ScalarValue ReadScalar(ref Utf8JsonReader r)
    {
        switch (r.TokenType)
        {
            case JsonTokenType.Null:
                return ScalarValue.Null;
            case JsonTokenType.True:
                return True;
            case JsonTokenType.False:
                return False;
            case JsonTokenType.String:
                return new ScalarValue(r.GetString());
            case JsonTokenType.Number:
                return new ScalarValue(r.GetInt32());
            case JsonTokenType.StartObject:
                return ReadTagged(ref r) as ScalarValue ?? throw new JsonException("Dictionary keys must be scalars.");
            default:
                throw new JsonException($"Unexpected token {r.TokenType} for a property value.");
        }
    }

    private static LogEventPropertyValue ReadTagged(ref Utf8JsonReader r)
    {
        // On StartObject; the first member must be "$".
        if (Next(ref r) != JsonTokenType.PropertyName || !r.ValueTextEquals("$"u8))
            throw new JsonException("A tagged value must start with the \"$\" member.");

        Next(ref r);
        Expect(ref r, JsonTokenType.String);
        if (r.ValueTextEquals("S"u8))
            return ReadStructure(ref r);

        if (r.ValueTextEquals("D"u8))
            return ReadDictionary(ref r);

        var kind = String(ref r);
        Member(ref r, "v"u8);
        object? value;
        try
        {
            value = kind switch
            {
                "i8" => r.GetInt64(),
                "f8" => r.TokenType == JsonTokenType.String ? double.Parse(String(ref r), NumberStyles.Float, CultureInfo.InvariantCulture) : r.GetDouble(),
                "f4" => r.TokenType == JsonTokenType.String ? float.Parse(String(ref r), NumberStyles.Float, CultureInfo.InvariantCulture) : r.GetSingle(),
                "m" => decimal.Parse(String(ref r), NumberStyles.Float, CultureInfo.InvariantCulture),
                "i1" => r.GetSByte(),
                "u1" => r.GetByte(),
                "i2" => r.GetInt16(),
                "u2" => r.GetUInt16(),
                "u4" => r.GetUInt32(),
                "u8" => r.GetUInt64(),
                "i16" => Int128.Parse(String(ref r), NumberStyles.Integer, CultureInfo.InvariantCulture),
                "u16" => UInt128.Parse(String(ref r), NumberStyles.Integer, CultureInfo.InvariantCulture),
                "c" => (char)r.GetUInt16(),
                "dt" => ReadDateTime(ref r),
                "dto" => ReadRoundTrip(ref r),
                "ts" => TimeSpan.ParseExact(String(ref r), "c", CultureInfo.InvariantCulture),
                "do" => DateOnly.ParseExact(String(ref r), PortableJsonWriter.DateOnlyFormat, CultureInfo.InvariantCulture),
                "to" => TimeOnly.ParseExact(String(ref r), PortableJsonWriter.TimeOnlyFormat, CultureInfo.InvariantCulture),
                "g" => Guid.ParseExact(String(ref r), "D"),
                "uri" => ReadUri(ref r),
                "b" => r.GetBytesFromBase64(),
                "e" => ReadEnum(ref r),
                "o" => ReadObject(ref r),
                _ => throw new JsonException($"Unknown scalar kind \"{kind}\"."),
            };
        }
        catch (Exception ex) when (ex is FormatException or OverflowException or InvalidOperationException or ArgumentException)
        {
            throw new JsonException($"Invalid \"{kind}\" scalar: {ex.Message}", ex);
        }

        if (Next(ref r) != JsonTokenType.EndObject)
            throw new JsonException($"Unexpected member after a \"{kind}\" scalar.");

        return new ScalarValue(value);
    }

    private static StructureValue ReadStructure(ref Utf8JsonReader r)
    {
        string? tag = null;
        var properties = new List<LogEventProperty>();
        while (Next(ref r) == JsonTokenType.PropertyName)
        {
            if (r.ValueTextEquals("tag"u8))
            {
                Next(ref r);
                tag = NullableString(ref r);
            }
            else if (r.ValueTextEquals("p"u8))
            {
                Next(ref r);
                Expect(ref r, JsonTokenType.StartObject);
                while (Next(ref r) == JsonTokenType.PropertyName)
                {
                    var name = r.GetString()!;
                    Next(ref r);
                    properties.Add(Property(name, ReadValue(ref r)));
                }
            }
            else
            {
                Next(ref r);
                r.Skip();
            }
        }

        return new StructureValue(properties, tag);
    }

    private static DictionaryValue ReadDictionary(ref Utf8JsonReader r)
    {
        var elements = new List<KeyValuePair<ScalarValue, LogEventPropertyValue>>();
        while (Next(ref r) == JsonTokenType.PropertyName)
        {
            if (r.ValueTextEquals("e"u8))
            {
                Next(ref r);
                Expect(ref r, JsonTokenType.StartArray);
                while (Next(ref r) != JsonTokenType.EndArray)
                {
                    Expect(ref r, JsonTokenType.StartArray);
                    Next(ref r);
                    var key = ReadScalar(ref r);
                    Next(ref r);
                    var value = ReadValue(ref r);
                    if (Next(ref r) != JsonTokenType.EndArray)
                        throw new JsonException("A dictionary entry is a [key, value] pair.");

                    elements.Add(new(key, value));
                }
            }
            else
            {
                Next(ref r);
                r.Skip();
            }
        }

        return new DictionaryValue(elements);
    }

    private static DateTimeOffset ReadRoundTrip(ref Utf8JsonReader r)
    {
        Expect(ref r, JsonTokenType.String);
        if (!r.HasValueSequence && !r.ValueIsEscaped
            && System.Buffers.Text.Utf8Parser.TryParse(r.ValueSpan, out DateTimeOffset fast, out var consumed, 'O')
            && consumed == r.ValueSpan.Length)
        {
            return fast;
        }

        return DateTimeOffset.ParseExact(r.GetString()!, "O", CultureInfo.InvariantCulture, DateTimeStyles.None);
    }

    private static DateTime ReadDateTime(ref Utf8JsonReader r)
    {
        var text = String(ref r);
        Member(ref r, "k"u8);
        var kind = String(ref r) switch
        {
            "U" => DateTimeKind.Utc,
            "L" => DateTimeKind.Local,
            "N" => DateTimeKind.Unspecified,
            var k => throw new JsonException($"Unknown DateTime kind \"{k}\"."),
        };
        var value = DateTime.ParseExact(text, PortableJsonWriter.DateTimeFormat, CultureInfo.InvariantCulture, DateTimeStyles.None);
        return DateTime.SpecifyKind(value, kind);
    }

    private static Uri ReadUri(ref Utf8JsonReader r)
    {
        var text = String(ref r);
        Member(ref r, "abs"u8);
        return new Uri(text, r.GetBoolean() ? UriKind.Absolute : UriKind.Relative);
    }

    private static RemoteEnumValue ReadEnum(ref Utf8JsonReader r)
    {
        var name = String(ref r);
        Member(ref r, "type"u8);
        var type = String(ref r);
        Member(ref r, "d"u8);
        return new RemoteEnumValue(type, name, String(ref r));
    }

    private static RemoteObjectValue ReadObject(ref Utf8JsonReader r)
    {
        var text = String(ref r);
        Member(ref r, "type"u8);
        return new RemoteObjectValue(String(ref r), text);
    }

    private static LogEventLevel ReadLevel(ref Utf8JsonReader r)
    {
        if (r.TokenType == JsonTokenType.Number)
            return (LogEventLevel)r.GetInt32();

        var names = PortableJsonWriter.LevelNames;
        for (var i = 0; i < names.Length; i++)
        {
            if (r.ValueTextEquals(names[i].EncodedUtf8Bytes))
                return (LogEventLevel)i;
        }

        throw new JsonException($"Unknown level \"{r.GetString()}\".");
    }

    private static LogEventProperty Property(string name, LogEventPropertyValue value)
    {
        if (!LogEventProperty.IsValidName(name))
            throw new JsonException($"Invalid property name \"{name}\".");

        return new LogEventProperty(name, value);
    }

    private static void ValidateHex(string text, int length, string member)
    {
        if (text.Length != length || !text.All(char.IsAsciiHexDigitLower))
            throw new JsonException($"\"{member}\" must be {length} lowercase hex digits.");
    }

    private static void Member(ref Utf8JsonReader r, ReadOnlySpan<byte> name)
    {
        if (Next(ref r) != JsonTokenType.PropertyName || !r.ValueTextEquals(name))
            throw new JsonException($"Expected member \"{System.Text.Encoding.UTF8.GetString(name)}\".");

        Next(ref r);
    }

    private static string String(ref Utf8JsonReader r)
    {
        Expect(ref r, JsonTokenType.String);
        return r.GetString()!;
    }

    private static string? NullableString(ref Utf8JsonReader r) =>
        r.TokenType == JsonTokenType.Null ? null : String(ref r);

    private static void Expect(ref Utf8JsonReader r, JsonTokenType type)
    {
        if (r.TokenType != type)
            throw new JsonException($"Expected {type}, found {r.TokenType}.");
    }

    private static JsonTokenType Next(ref Utf8JsonReader r)
    {
        if (!r.Read())
            throw new JsonException("Unexpected end of JSON.");

        return r.TokenType;
    }
}
