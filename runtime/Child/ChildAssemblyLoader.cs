using System.Reflection;
using System.Runtime.InteropServices;
using System.Runtime.Loader;
using Puma.Runtime.Wire;

namespace Puma.Runtime.Child;

/// <summary>
/// Loads the runnable's assembly in the child, into the default load context, so that Puma's own assemblies
/// (already there: the host's directory is on the trusted-platform list) are shared with it and the Puma base
/// types are one type on both sides.
/// </summary>
/// <remarks>
/// The assembly and each dependency not on the trusted-platform list are resolved, in order, by an
/// <see cref="AssemblyDependencyResolver"/> for the runnable's assembly (its deps.json), then by file name in
/// the runnable assembly's directory and in the parent's base directory. Native libraries go through the
/// resolver too.
/// </remarks>
internal static class ChildAssemblyLoader
{
    /// <summary>
    /// Loads <paramref name="typeName"/> from the assembly at <paramref name="assemblyPath"/>, whose full name is
    /// <paramref name="assemblyName"/> when the caller knows it (null: read from the file); the type is found by
    /// <paramref name="typeReference"/> (a <see cref="MetadataReference"/>) when given and it names a type of that very
    /// file, else by its name.
    /// </summary>
    public static Type LoadType(string assemblyPath, string typeName, string? parentBaseDirectory, string? assemblyName = null, string? typeReference = null)
    {
        if (!File.Exists(assemblyPath))
            throw new FileNotFoundException($"The runnable's assembly {assemblyPath} does not exist.", assemblyPath);

        // Made when first needed: reading the deps.json costs milliseconds of a child's start, and an assembly on
        // the trusted-platform list (the parent's directory is the host's) never asks for it.
        var resolver = new Lazy<AssemblyDependencyResolver?>(() =>
        {
            try
            {
                return new AssemblyDependencyResolver(assemblyPath);
            }
            catch (InvalidOperationException)
            {
                return null; // no usable deps.json: probing by directory below still works
            }
        });

        var directories = new[] { Path.GetDirectoryName(Path.GetFullPath(assemblyPath)), parentBaseDirectory }
            .Where(d => !string.IsNullOrEmpty(d))
            .Select(d => d!)
            .Distinct(StringComparer.Ordinal)
            .ToArray();
        var main = assemblyName is null ? AssemblyName.GetAssemblyName(assemblyPath) : new AssemblyName(assemblyName);

        AssemblyLoadContext.Default.Resolving += (context, name) =>
        {
            if (AssemblyName.ReferenceMatchesDefinition(name, main) && string.Equals(name.Name, main.Name, StringComparison.OrdinalIgnoreCase))
                return context.LoadFromAssemblyPath(Path.GetFullPath(assemblyPath));

            if (resolver.Value?.ResolveAssemblyToPath(name) is { } resolved && File.Exists(resolved))
                return context.LoadFromAssemblyPath(resolved);

            foreach (var directory in directories)
            {
                var candidate = Path.Combine(directory, name.Name + ".dll");
                if (File.Exists(candidate))
                    return context.LoadFromAssemblyPath(candidate);
            }

            return null;
        };
        AssemblyLoadContext.Default.ResolvingUnmanagedDll += (_, name) =>
            resolver.Value?.ResolveUnmanagedDllToPath(name) is { } path ? NativeLibrary.Load(path) : IntPtr.Zero;

        // By name first: when the assembly is on the trusted-platform list (the parent's directory is the
        // host's) this loads that copy once; otherwise the handler above loads it from its path.
        var assembly = AssemblyLoadContext.Default.LoadFromAssemblyName(main);
        if (MetadataReference.TryParse(typeReference, out var reference) && reference.ResolveType(assembly) is { } byToken
            && string.Equals(byToken.FullName, typeName, StringComparison.Ordinal))
        {
            return byToken;
        }

        return assembly.GetType(typeName, throwOnError: false)
            ?? throw new TypeLoadException($"Type {typeName} was not found in {assembly.FullName} ({assembly.Location}).");
    }
}
