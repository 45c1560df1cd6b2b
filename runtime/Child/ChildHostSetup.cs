using System.Reflection;
using Puma.Runnables;

namespace Puma.Runtime.Child;

/// <summary>The runtime's plug-ins for the child host: the actor loop and the shared-memory buffer attachment.</summary>
internal static class ChildHostSetup
{
    /// <summary>
    /// The options <see cref="ChildHost.Main"/> runs with: <see cref="LoopChildRunner"/> (which hands what is not a
    /// <see cref="Runnable"/> to <see cref="ChildHost.DefaultRunner"/>), <see cref="SharedMemoryPorts"/>, and the
    /// properties of <see cref="Runnable"/> itself left out of the configuration.
    /// </summary>
    public static ChildHostOptions Options { get; } = new(
        new LoopChildRunner(SharedMemoryPorts.Release, ChildHost.DefaultRunner(IsRunnableBaseProperty)).RunAsync,
        SharedMemoryPorts.Attach,
        IsRunnableBaseProperty);

    /// <summary>Properties declared by <see cref="Runnable"/> itself (its Name) are not configuration.</summary>
    public static bool IsRunnableBaseProperty(PropertyInfo property) => property.DeclaringType == typeof(Runnable);
}
