using Puma.Runnables;

namespace Puma.Runtime.Tests.Runnables;

/// <summary>Asks a runnable which assemblies its process has loaded.</summary>
public sealed record GetLoadedAssemblies;

/// <summary>Answers <see cref="GetLoadedAssemblies"/> with the names of the assemblies loaded in its process, and <see cref="GetPid"/>.</summary>
public sealed class AssemblyProbe : Runnable
{
    protected override void Configure(Handlers on) => on
        .Request<GetLoadedAssemblies, string[]>(_ => AppDomain.CurrentDomain.GetAssemblies().Select(a => a.GetName().Name ?? "?").Order().ToArray())
        .Request<GetPid, int>(_ => Environment.ProcessId);
}
