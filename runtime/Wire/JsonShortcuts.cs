using System.Collections.Concurrent;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Puma.Runtime.Wire;

/// <summary>
/// The values whose System.Text.Json form (with <see cref="RunnableConfiguration.ValueOptions"/>) is read and written
/// here with <see cref="Utf8JsonReader"/>, <see cref="Utf8JsonWriter"/> and <see cref="JsonElement"/> directly,
/// byte for byte as the serializer does: <see cref="bool"/>, <see cref="int"/>, <see cref="long"/>,
/// <see cref="double"/>, <see cref="string"/>, and marker classes (no member the serializer would write: their form
/// is <c>{}</c>).
/// </summary>
/// <remarks>
/// <para>
/// Why: the serializer's first value in a fresh process costs 15-20 ms (its converters, the type's reflection-based
/// contract, and the code for both compiled), measured in a child on the 2-core machine; a child meets it on the way
/// to its first reply (a configuration property, the first command or request, the reply) although most of those
/// values are numbers, strings or markers like <c>record GetStatus;</c>. The wire format does not change: each value
/// is still its JSON, and anything this class does not recognise (another type, a token the serializer would reject,
/// trailing content) goes to the serializer, which reads it or reports the error as before.
/// </para>
/// <para>
/// A marker class is a non-abstract class other than <see cref="object"/>, not enumerable, with a public parameterless
/// constructor; with no public instance property with a getter and no field or property of any visibility, in it or
/// its bases, that carries a System.Text.Json attribute (<c>[JsonInclude]</c>, <c>[JsonRequired]</c>,
/// <c>[JsonExtensionData]</c>, ...; plain fields are not serialized by <see cref="RunnableConfiguration.ValueOptions"/>);
/// no <c>required</c> member, no System.Text.Json attribute on the type or its constructors, and none of the
/// serializer's callback interfaces: for such a type the serializer writes <c>{}</c> and reads <c>{}</c> by calling
/// that constructor, which is what this class does.
/// </para>
/// </remarks>
internal static class JsonShortcuts
{
    private static readonly ConcurrentDictionary<Type, bool> Markers = new();

    /// <summary>Writes <paramref name="value"/> as the serializer would when its type is one this class handles; false otherwise (nothing written).</summary>
    public static bool TryWrite(Utf8JsonWriter writer, object value)
    {
        switch (value)
        {
            case bool b:
                writer.WriteBooleanValue(b);
                return true;
            case int i:
                writer.WriteNumberValue(i);
                return true;
            case long l:
                writer.WriteNumberValue(l);
                return true;
            case double d when double.IsFinite(d):
                writer.WriteNumberValue(d);
                return true;
            case double d:
                // AllowNamedFloatingPointLiterals: the serializer writes the three non-finite values as these strings.
                writer.WriteStringValue(double.IsNaN(d) ? "NaN" : d > 0 ? "Infinity" : "-Infinity");
                return true;
            case string s:
                writer.WriteStringValue(s);
                return true;
        }

        if (!IsMarker(value.GetType()))
            return false;

        writer.WriteStartObject();
        writer.WriteEndObject();
        return true;
    }

    /// <summary>Reads <paramref name="json"/> as a <paramref name="type"/> when this class handles both; false sends the caller to the serializer.</summary>
    public static bool TryRead(ReadOnlySpan<byte> json, Type type, out object? value)
    {
        value = null;
        if (!IsScalar(type) && !IsMarker(type))
            return false;

        bool marker;
        try
        {
            var reader = new Utf8JsonReader(json);
            if (!reader.Read())
                return false;

            marker = reader.TokenType == JsonTokenType.StartObject;
            if (marker ? !IsMarker(type) || !reader.Read() || reader.TokenType != JsonTokenType.EndObject : !TryReadScalar(ref reader, type, out value))
                return false;

            // Only a value alone, as the serializer accepts it: trailing content throws below, or is a second token.
            if (reader.Read())
                return false;
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            // Malformed (a lone surrogate, bytes that are not UTF-8, trailing content): the serializer's error to name.
            value = null;
            return false;
        }

        // Outside the catch: what a marker's constructor throws is thrown, as the serializer does.
        if (marker)
            value = Create(type);
        return true;
    }

    /// <summary>
    /// Reads <paramref name="element"/> as a <paramref name="type"/> when this class handles both; false sends the caller
    /// to the serializer. The element's raw text is read as <see cref="TryRead(ReadOnlySpan{byte}, Type, out object?)"/>
    /// reads a payload (a configuration value, once per property of a child's start).
    /// </summary>
    public static bool TryRead(JsonElement element, Type type, out object? value)
    {
        value = null;
        return (IsScalar(type) || IsMarker(type)) && TryRead(System.Text.Encoding.UTF8.GetBytes(element.GetRawText()), type, out value);
    }

    /// <summary>True when <paramref name="type"/> is a marker class (see the remarks); cached per type.</summary>
    public static bool IsMarker(Type type) => Markers.GetOrAdd(type, static t => Classify(t));

    private static bool IsScalar(Type type) =>
        type == typeof(bool) || type == typeof(int) || type == typeof(long) || type == typeof(double) || type == typeof(string);

    private static bool TryReadScalar(ref Utf8JsonReader reader, Type type, out object? value)
    {
        value = null;
        switch (reader.TokenType)
        {
            case JsonTokenType.True or JsonTokenType.False when type == typeof(bool):
                value = reader.GetBoolean();
                return true;
            case JsonTokenType.Number when type == typeof(int) && reader.TryGetInt32(out var i):
                value = i;
                return true;
            case JsonTokenType.Number when type == typeof(long) && reader.TryGetInt64(out var l):
                value = l;
                return true;
            case JsonTokenType.Number when type == typeof(double) && reader.TryGetDouble(out var d):
                value = d;
                return true;
            case JsonTokenType.String when type == typeof(double):
                return TryNamedLiteral(reader.GetString(), out value);
            case JsonTokenType.String or JsonTokenType.Null when type == typeof(string):
                value = reader.GetString();
                return true;
            default:
                return false;
        }
    }

    /// <summary>A new marker, its constructor's exception thrown as is (as the serializer does).</summary>
    private static object Create(Type type)
    {
        try
        {
            return Activator.CreateInstance(type)!;
        }
        catch (TargetInvocationException e) when (e.InnerException is not null)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(e.InnerException);
            throw;
        }
    }

    private static bool TryNamedLiteral(string? text, out object? value)
    {
        value = text switch
        {
            "NaN" => double.NaN,
            "Infinity" => double.PositiveInfinity,
            "-Infinity" => double.NegativeInfinity,
            _ => null,
        };
        return value is not null;
    }

    private static bool Classify(Type type)
    {
        // object reads as a JsonElement, an enumerable as an array (an async one not at all): none is a marker.
        if (!type.IsClass || type.IsAbstract || type.IsGenericTypeDefinition || type == typeof(object)
            || typeof(System.Collections.IEnumerable).IsAssignableFrom(type)
            || type.GetInterfaces().Any(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IAsyncEnumerable<>))
            || type.GetConstructor(Type.EmptyTypes) is not { IsPublic: true })
        {
            return false;
        }

        if (type.IsDefined(typeof(JsonAttribute), inherit: true)
            || type.GetConstructors(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance).Any(c => c.IsDefined(typeof(JsonAttribute), inherit: false)))
        {
            return false;
        }

        // Every member the serializer could write or require, in the type and its bases: a required member, a public
        // getter, or any field or property (of any visibility) that carries one of its attributes ([JsonInclude],
        // [JsonRequired], [JsonExtensionData], ...).
        const BindingFlags Members = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.DeclaredOnly;
        for (var t = type; t is not null && t != typeof(object); t = t.BaseType)
        {
            // RequiredMemberAttribute is not inherited: the compiler puts it on the class that declares the member.
            if (t.IsDefined(typeof(System.Runtime.CompilerServices.RequiredMemberAttribute), inherit: false)
                || t.GetProperties(Members).Any(p => p.GetMethod is { IsPublic: true } || p.IsDefined(typeof(JsonAttribute), inherit: true))
                || t.GetFields(Members).Any(f => f.IsDefined(typeof(JsonAttribute), inherit: true)))
            {
                return false;
            }
        }

        return !typeof(IJsonOnDeserializing).IsAssignableFrom(type) && !typeof(IJsonOnDeserialized).IsAssignableFrom(type)
            && !typeof(IJsonOnSerializing).IsAssignableFrom(type) && !typeof(IJsonOnSerialized).IsAssignableFrom(type);
    }
}
