using System.Globalization;
using System.Reflection;

namespace Puma.Runtime.Wire;

/// <summary>
/// A type or method named by its module's version id and metadata token, which a child finds in the same assembly
/// file without parsing a name: the first type-name parse of a process (<see cref="Type.GetType(string)"/>,
/// <see cref="Assembly.GetType(string)"/>) compiles the parser, about 8 ms of a child's start on the 2-core machine.
/// A reference only holds where the child loaded the very file the parent did (same module version id); otherwise,
/// and for constructed generic types, the caller falls back to the name. This file is also compiled into
/// Puma.Runtime.Host, which has no reference to Puma.Runtime, to read the entry point the parent names.
/// </summary>
/// <param name="ModuleVersionId">The <see cref="Module.ModuleVersionId"/> of the module that defines the member.</param>
/// <param name="Token">The member's <see cref="MemberInfo.MetadataToken"/> in that module.</param>
internal readonly record struct MetadataReference(Guid ModuleVersionId, int Token)
{
    /// <summary>The reference of <paramref name="type"/>, or null for a type a token cannot name (constructed generic, array, pointer, generic parameter).</summary>
    public static MetadataReference? Of(Type type)
    {
        ArgumentNullException.ThrowIfNull(type);
        return type.IsGenericType || type.HasElementType || type.IsGenericParameter || type.Module.Assembly.IsDynamic
            ? null
            : new MetadataReference(type.Module.ModuleVersionId, type.MetadataToken);
    }

    /// <summary>The reference of <paramref name="method"/> (a non-generic method of a non-generic type).</summary>
    public static MetadataReference Of(MethodInfo method)
    {
        ArgumentNullException.ThrowIfNull(method);
        return new MetadataReference(method.Module.ModuleVersionId, method.MetadataToken);
    }

    /// <summary>
    /// The type this reference names in <paramref name="assembly"/>'s manifest module, or null when that module is
    /// another file or the token names no type there.
    /// </summary>
    public Type? ResolveType(Assembly assembly) => Resolve(assembly, static (module, token) => module.ResolveType(token));

    /// <summary>
    /// The method this reference names in <paramref name="assembly"/>'s manifest module, or null when that module is
    /// another file or the token names no method there.
    /// </summary>
    public MethodInfo? ResolveMethod(Assembly assembly) => Resolve(assembly, static (module, token) => module.ResolveMethod(token) as MethodInfo);

    private TMember? Resolve<TMember>(Assembly assembly, Func<Module, int, TMember?> resolve)
        where TMember : MemberInfo
    {
        ArgumentNullException.ThrowIfNull(assembly);
        var module = assembly.ManifestModule;
        if (module.ModuleVersionId != ModuleVersionId)
            return null;
        try
        {
            return resolve(module, Token);
        }
        catch (ArgumentException)
        {
            return null; // a token of another kind, or out of range
        }
    }

    /// <summary><c>&lt;module version id, 32 hex digits&gt;:&lt;token, 8 hex digits&gt;</c>, as the child host reads it.</summary>
    public override string ToString() => $"{ModuleVersionId:N}:{Token.ToString("x8", CultureInfo.InvariantCulture)}";

    /// <summary>Reads the form written by <see cref="ToString"/>.</summary>
    public static bool TryParse(string? text, out MetadataReference reference)
    {
        reference = default;
        if (text is not { Length: 41 } || text[32] != ':'
            || !Guid.TryParseExact(text.AsSpan(0, 32), "N", out var module)
            || !int.TryParse(text.AsSpan(33), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var token))
        {
            return false;
        }

        reference = new MetadataReference(module, token);
        return true;
    }
}
