using System.Text.Json;

namespace Puma.Runtime.Wire;

/// <summary>Turns commands, requests, replies and status values into <see cref="TypedValue"/>s and back.</summary>
internal static class TypedValues
{
    public static TypedValue From(object value)
    {
        var type = value.GetType();
        return new TypedValue(type.AssemblyQualifiedName ?? type.FullName!, JsonSerializer.Serialize(value, type, RunnableConfiguration.ValueOptions));
    }

    /// <summary>Rebuilds the value as its original type when this process can load it, else as <paramref name="fallback"/>, else a JsonElement.</summary>
    public static object? ToObject(TypedValue value, Type? fallback = null)
    {
        var type = Type.GetType(value.TypeName, throwOnError: false) ?? fallback;
        return type is null
            ? JsonSerializer.Deserialize<JsonElement>(value.Json)
            : JsonSerializer.Deserialize(value.Json, type, RunnableConfiguration.ValueOptions);
    }

    /// <summary>The assembly-qualified names <paramref name="type"/> answers to: itself, its base types and interfaces.</summary>
    public static IEnumerable<string> NamesOf(Type type)
    {
        for (var t = type; t is not null; t = t.BaseType)
            yield return t.AssemblyQualifiedName ?? t.FullName!;
        foreach (var i in type.GetInterfaces())
            yield return i.AssemblyQualifiedName ?? i.FullName!;
    }
}
