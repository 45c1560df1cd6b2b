using System.Collections.Concurrent;
using System.Text;

namespace Puma.Runtime.Wire;

/// <summary>
/// Type names on the control channel, cached both ways: a type's assembly-qualified name as UTF-8 bytes, and a
/// received name (looked up without allocating) to its type, so <see cref="Type.GetType(string)"/> parses a name once.
/// </summary>
internal static class WireTypes
{
    private static readonly ConcurrentDictionary<Type, byte[]> Names = new();
    private static readonly ConcurrentDictionary<string, Type> Types = new(StringComparer.Ordinal);
    private static readonly ConcurrentDictionary<string, Type>.AlternateLookup<ReadOnlySpan<char>> TypesByName = Types.GetAlternateLookup<ReadOnlySpan<char>>();

    /// <summary>The name by which a frame names <paramref name="type"/>: its assembly-qualified name.</summary>
    public static string NameText(Type type) => type.AssemblyQualifiedName ?? type.FullName!;

    /// <summary>The UTF-8 form of <see cref="NameText"/>.</summary>
    public static byte[] NameOf(Type type) =>
        Names.GetOrAdd(type, static t => Encoding.UTF8.GetBytes(NameText(t)));

    /// <summary>
    /// Makes <paramref name="type"/> known by its name before any frame names it: a child registers the command and
    /// request types its runnable handles, so their first frames are decoded without parsing a type name (the first
    /// parse of a process compiles the parser, milliseconds of a child's first reply).
    /// </summary>
    public static void Register(Type type) =>
        Types.TryAdd(NameText(type), type);

    /// <summary>The type named by <paramref name="utf8Name"/>, or null when this process cannot load it (not cached then).</summary>
    public static Type? Resolve(ReadOnlySpan<byte> utf8Name)
    {
        var buffer = utf8Name.Length <= 512 ? stackalloc char[utf8Name.Length] : new char[utf8Name.Length];
        var name = buffer[..Encoding.UTF8.GetChars(utf8Name, buffer)];
        if (TypesByName.TryGetValue(name, out var known))
            return known;

        var text = new string(name);
        var type = Type.GetType(text, throwOnError: false);
        if (type is not null)
            Types.TryAdd(text, type);
        return type;
    }
}
