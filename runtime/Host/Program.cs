using System.Reflection;
using Puma.Runtime.Wire;

namespace Puma.Runtime.Host;

/// <summary>
/// Entry point of the child-process host. Loads Puma.Runtime from the trusted-platform list (the host
/// has no deps.json, so every assembly beside it is there) and hands over to
/// <c>Puma.Runtime.Child.ChildHost.Main</c>.
/// </summary>
/// <remarks>
/// The parent names that method by metadata token (<c>--puma-entry &lt;module version id&gt;:&lt;token&gt;</c>, a
/// <see cref="MetadataReference"/>, whose source this project compiles too): looking it up by name would make this fresh process compile the runtime's
/// type-name parser first, about 8 ms of its start. The name is the fallback when the option is missing or names
/// another build of Puma.Runtime.
/// </remarks>
internal static class Program
{
    private const string EntryOption = "--puma-entry";

    private static int Main(string[] args)
    {
        var runtime = Assembly.Load(new AssemblyName("Puma.Runtime"));
        var main = EntryByToken(runtime, args)
            ?? runtime.GetType("Puma.Runtime.Child.ChildHost", throwOnError: true)!
                .GetMethod("Main", BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic, [typeof(string[])])
            ?? throw new MissingMethodException("Puma.Runtime.Child.ChildHost", "Main");
        var exitCode = main.CreateDelegate<Func<string[], int>>()(args);
        // Foreground threads started by a runnable must not keep the child alive after it is done.
        Environment.Exit(exitCode);
        return exitCode;
    }

    private static MethodInfo? EntryByToken(Assembly runtime, string[] args)
    {
        var index = Array.IndexOf(args, EntryOption);
        return index >= 0 && index + 1 < args.Length && MetadataReference.TryParse(args[index + 1], out var entry)
            ? entry.ResolveMethod(runtime)
            : null;
    }
}
