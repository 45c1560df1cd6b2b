using System.Reflection;

namespace Puma.Runtime.Host;

/// <summary>
/// Entry point of the child-process host. Loads Puma.Runtime from the trusted-platform list (the host
/// has no deps.json, so every assembly beside it is there) and hands over to
/// <c>Puma.Runtime.Child.ChildHost.Main</c>.
/// </summary>
internal static class Program
{
    private static int Main(string[] args)
    {
        var runtime = Assembly.Load(new AssemblyName("Puma.Runtime"));
        var host = runtime.GetType("Puma.Runtime.Child.ChildHost", throwOnError: true)!;
        var main = host.GetMethod("Main", BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic, [typeof(string[])])
            ?? throw new MissingMethodException("Puma.Runtime.Child.ChildHost", "Main");
        var exitCode = main.CreateDelegate<Func<string[], int>>()(args);
        // Foreground threads started by a runnable must not keep the child alive after it is done.
        Environment.Exit(exitCode);
        return exitCode;
    }
}
