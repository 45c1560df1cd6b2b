using System.Reflection;

namespace Puma.Runtime.Pipelines;

/// <summary>
/// Type names in a pipeline spec: <c>Namespace.Type, Assembly</c> without version, culture or key (and no assembly
/// for the core library: <c>System.Int32</c>, <c>System.Byte[]</c>), generic arguments in the same form. They resolve
/// back through the assemblies already loaded, then by simple name; a full assembly-qualified name and the C#
/// keywords (<c>int</c>, <c>string</c>, ...) resolve too.
/// </summary>
internal static class TypeNames
{
    private static readonly Dictionary<string, Type> Keywords = new(StringComparer.Ordinal)
    {
        ["bool"] = typeof(bool),
        ["byte"] = typeof(byte),
        ["sbyte"] = typeof(sbyte),
        ["short"] = typeof(short),
        ["ushort"] = typeof(ushort),
        ["int"] = typeof(int),
        ["uint"] = typeof(uint),
        ["long"] = typeof(long),
        ["ulong"] = typeof(ulong),
        ["float"] = typeof(float),
        ["double"] = typeof(double),
        ["decimal"] = typeof(decimal),
        ["char"] = typeof(char),
        ["string"] = typeof(string),
        ["byte[]"] = typeof(byte[]),
    };

    /// <summary>The spec name of <paramref name="type"/>.</summary>
    public static string Format(Type type)
    {
        ArgumentNullException.ThrowIfNull(type);
        var assembly = Innermost(type).Assembly;
        var core = Core(type);
        return assembly == typeof(object).Assembly ? core : $"{core}, {assembly.GetName().Name}";
    }

    /// <summary>The type <paramref name="name"/> names, or null when no assembly here defines it.</summary>
    public static Type? Resolve(string? name)
    {
        if (string.IsNullOrWhiteSpace(name))
            return null;
        var trimmed = name.Trim();
        if (Keywords.TryGetValue(trimmed, out var keyword))
            return keyword;
        try
        {
            return Type.GetType(trimmed, LoadAssembly, null, throwOnError: false) ?? (trimmed.Contains(',', StringComparison.Ordinal) ? null : FindLoaded(trimmed));
        }
        catch (Exception e) when (e is ArgumentException or FileLoadException or BadImageFormatException or TypeLoadException)
        {
            return null;
        }
    }

    /// <summary>A name without an assembly that is neither core nor Puma's: the first loaded assembly that defines it.</summary>
    private static Type? FindLoaded(string fullName) =>
        AppDomain.CurrentDomain.GetAssemblies()
            .Where(a => !a.IsDynamic)
            .Select(a => a.GetType(fullName, throwOnError: false))
            .FirstOrDefault(t => t is not null);

    private static string Core(Type type)
    {
        if (type.IsArray)
        {
            var element = Core(type.GetElementType()!);
            var rank = type.GetArrayRank();
            return type.IsSZArray ? element + "[]" : element + "[" + new string(',', rank - 1) + "]";
        }

        if (type.IsGenericType && !type.IsGenericTypeDefinition)
        {
            var arguments = type.GetGenericArguments().Select(a => "[" + Format(a) + "]");
            return type.GetGenericTypeDefinition().FullName + "[" + string.Join(",", arguments) + "]";
        }

        return type.FullName ?? type.Name;
    }

    private static Type Innermost(Type type)
    {
        while (type.HasElementType)
            type = type.GetElementType()!;
        return type.IsGenericType ? type.GetGenericTypeDefinition() : type;
    }

    private static Assembly? LoadAssembly(AssemblyName name)
    {
        foreach (var loaded in AppDomain.CurrentDomain.GetAssemblies())
        {
            if (string.Equals(loaded.GetName().Name, name.Name, StringComparison.OrdinalIgnoreCase))
                return loaded;
        }

        try
        {
            return Assembly.Load(new AssemblyName(name.Name!));
        }
        catch (Exception e) when (e is FileNotFoundException or FileLoadException or BadImageFormatException)
        {
            return null;
        }
    }
}
