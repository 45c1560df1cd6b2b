using Puma.Runnables;

namespace Puma.Runtime.Child;

/// <summary>Plugs the actor loop and the buffer attachment into the child host; <see cref="ChildHost.Main"/> calls it first.</summary>
internal static class ChildHostSetup
{
    internal static void Initialize()
    {
        ChildHost.Runner = LoopChildRunner.RunAsync;
        ChildHost.ExcludeProperty = IsRunnableBaseProperty;
        ChildHost.PortAttacher = SharedMemoryPorts.Attach;
        LoopChildRunner.ReleasePorts = SharedMemoryPorts.Release;
    }

    /// <summary>Properties declared by <see cref="Runnable"/> itself (its Name) are not configuration.</summary>
    public static bool IsRunnableBaseProperty(System.Reflection.PropertyInfo property) => property.DeclaringType == typeof(Runnable);
}
