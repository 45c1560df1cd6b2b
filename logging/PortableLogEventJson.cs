using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Puma.Logging;

/// <summary>
/// Fast, reflection-free JSON (UTF-8) serialization of <see cref="PortableLogEvent"/>, written by hand
/// on <see cref="Utf8JsonWriter"/> / <see cref="Utf8JsonReader"/>. The same format is used when the
/// types go through <see cref="JsonSerializer"/> (they carry <see cref="PortableLogEventJsonConverter"/>
/// and <see cref="PortableExceptionJsonConverter"/>).
/// </summary>
/// <remarks>
/// <para><b>Wire format, version 1.</b> An event is a JSON object:</para>
/// <list type="bullet">
/// <item><c>"ts"</c>: timestamp, round-trip format <c>"O"</c> with its offset, e.g. <c>"2026-11-22T05:40:07.1234567+02:00"</c>.</item>
/// <item><c>"lvl"</c>: <c>"Verbose"</c>, <c>"Debug"</c>, <c>"Information"</c>, <c>"Warning"</c>, <c>"Error"</c> or <c>"Fatal"</c> (a number for any other value).</item>
/// <item><c>"mt"</c>: the message template text.</item>
/// <item><c>"p"</c>: object of property name to value, in order (omitted when there are none).</item>
/// <item><c>"x"</c>: the exception (omitted when none).</item>
/// <item><c>"tid"</c>, <c>"sid"</c>: W3C trace id (32) and span id (16), lowercase hex (omitted when none).</item>
/// </list>
/// <para>Event and exception members may come in any order; unknown members are skipped (forward compatible).</para>
/// <para>A <b>value</b> is:</para>
/// <list type="bullet">
/// <item><c>null</c>, a JSON string, <c>true</c>/<c>false</c>, or a JSON number: scalar <c>null</c>, <see cref="string"/>, <see cref="bool"/>, <see cref="int"/> (bare numbers are always <see cref="int"/>).</item>
/// <item>a JSON array: a <c>SequenceValue</c> of values.</item>
/// <item><c>{"$":"S","tag":T,"p":{name:value,...}}</c>: a <c>StructureValue</c> (<c>"tag"</c> omitted when null; duplicate names kept in order).</item>
/// <item><c>{"$":"D","e":[[key,value],...]}</c>: a <c>DictionaryValue</c>; keys are scalar values.</item>
/// <item><c>{"$":kind,"v":v,...}</c>: any other scalar; members in exactly this order:
/// <c>i1</c> sbyte, <c>u1</c> byte, <c>i2</c> short, <c>u2</c> ushort, <c>u4</c> uint, <c>i8</c> long, <c>u8</c> ulong (JSON numbers);
/// <c>i16</c> Int128, <c>u16</c> UInt128, <c>m</c> decimal (invariant strings, scale kept);
/// <c>f4</c> float, <c>f8</c> double (numbers; <c>"NaN"</c>, <c>"Infinity"</c>, <c>"-Infinity"</c> as strings);
/// <c>c</c> char (UTF-16 code unit as a number);
/// <c>dt</c> DateTime (<c>"yyyy-MM-ddTHH:mm:ss.fffffff"</c> then <c>"k"</c>: <c>"U"</c>tc, <c>"L"</c>ocal, u<c>"N"</c>specified);
/// <c>dto</c> DateTimeOffset (<c>"O"</c>); <c>ts</c> TimeSpan (<c>"c"</c>); <c>do</c> DateOnly (<c>"yyyy-MM-dd"</c>);
/// <c>to</c> TimeOnly (<c>"HH:mm:ss.fffffff"</c>); <c>g</c> Guid (<c>"D"</c>);
/// <c>uri</c> Uri (original string, then <c>"abs"</c>: is absolute); <c>b</c> byte[] (base64);
/// <c>e</c> enum (name, then <c>"type"</c> full type name, <c>"d"</c> numeric text), read back as <see cref="RemoteEnumValue"/>;
/// <c>o</c> other object (text, then <c>"type"</c>), read back as <see cref="RemoteObjectValue"/>.</item>
/// </list>
/// <para>An <b>exception</b> is <c>{"type":..,"msg":..,"stack":..,"text":..,"hr":n,"inner":[exception,...]}</c>
/// (<c>"stack"</c> omitted when null, <c>"inner"</c> when empty).</para>
/// <para>Strings are written with <see cref="JavaScriptEncoder.UnsafeRelaxedJsonEscaping"/> (non-ASCII text as raw UTF-8;
/// the output is for a control channel, not for HTML). Strings holding unpaired surrogates cannot be
/// represented in UTF-8; the writer replaces or rejects them (a <see cref="char"/> scalar is exact, it is a number).</para>
/// </remarks>
internal static class PortableLogEventJson
{
    private static readonly ArrayBufferWriter<byte> DetachedOutput = new(1);

    [ThreadStatic]
    private static Utf8JsonWriter? s_threadWriter;

    /// <summary>Writer options used by the helpers of this class.</summary>
    public static readonly JsonWriterOptions WriterOptions = new()
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        Indented = false,
        MaxDepth = 256,
    };

    /// <summary>Reader options used by the helpers of this class.</summary>
    public static readonly JsonReaderOptions ReaderOptions = new()
    {
        MaxDepth = 256,
    };

    /// <summary>Writes an event as one JSON object.</summary>
    /// <param name="writer">The writer.</param>
    /// <param name="logEvent">The event.</param>
    public static void Write(Utf8JsonWriter writer, PortableLogEvent logEvent)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(logEvent);
        PortableJsonWriter.WriteEvent(writer, logEvent);
    }

    /// <summary>Writes an event as UTF-8 JSON to a buffer writer.</summary>
    /// <param name="output">Where the bytes go.</param>
    /// <param name="logEvent">The event.</param>
    public static void Write(IBufferWriter<byte> output, PortableLogEvent logEvent)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(logEvent);
        var writer = s_threadWriter;
        if (writer is null)
        {
            writer = new Utf8JsonWriter(output, WriterOptions);
        }
        else
        {
            s_threadWriter = null; // not reused re-entrantly
            writer.Reset(output);
        }

        try
        {
            PortableJsonWriter.WriteEvent(writer, logEvent);
            writer.Flush();
        }
        finally
        {
            writer.Reset(DetachedOutput);
            s_threadWriter = writer;
        }
    }

    /// <summary>Serializes an event to UTF-8 JSON.</summary>
    /// <param name="logEvent">The event.</param>
    /// <returns>The JSON bytes.</returns>
    public static byte[] SerializeToUtf8Bytes(PortableLogEvent logEvent)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        Write(buffer, logEvent);
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Serializes an event to a JSON string.</summary>
    /// <param name="logEvent">The event.</param>
    /// <returns>The JSON text.</returns>
    public static string Serialize(PortableLogEvent logEvent)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        Write(buffer, logEvent);
        return System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <summary>
    /// Reads an event; the reader must be positioned before or on the event's start object and is
    /// left on its end object.
    /// </summary>
    /// <param name="reader">The reader.</param>
    /// <returns>The event.</returns>
    /// <exception cref="JsonException">The JSON is not a valid portable event.</exception>
    public static PortableLogEvent Read(ref Utf8JsonReader reader)
    {
        if (reader.TokenType == JsonTokenType.None && !reader.Read())
            throw new JsonException("Empty input.");

        return PortableJsonReader.ReadEvent(ref reader);
    }

    /// <summary>Deserializes an event from UTF-8 JSON holding exactly one event.</summary>
    /// <param name="utf8Json">The JSON bytes.</param>
    /// <returns>The event.</returns>
    /// <exception cref="JsonException">The JSON is not a valid portable event.</exception>
    public static PortableLogEvent Deserialize(ReadOnlySpan<byte> utf8Json)
    {
        var reader = new Utf8JsonReader(utf8Json, ReaderOptions);
        var result = Read(ref reader);
        if (reader.Read())
            throw new JsonException("Trailing data after the event.");

        return result;
    }

    /// <summary>Deserializes an event from a JSON string holding exactly one event.</summary>
    /// <param name="json">The JSON text.</param>
    /// <returns>The event.</returns>
    /// <exception cref="JsonException">The JSON is not a valid portable event.</exception>
    public static PortableLogEvent Deserialize(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        return Deserialize(System.Text.Encoding.UTF8.GetBytes(json));
    }
}
