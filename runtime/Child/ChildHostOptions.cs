using System.Reflection;
using Puma.Runtime.Wire;

namespace Puma.Runtime.Child;

/// <summary>
/// What the child host plugs in: how it runs the rebuilt runnable, how it attaches a port, and which properties are
/// not configuration. The runtime's own choice is <see cref="ChildHostSetup.Options"/>; <see cref="Default"/>
/// (placeholder ports, <see cref="ChildHost.DefaultRunner"/>) serves tests and diagnostics.
/// </summary>
/// <param name="Runner">Runs the rebuilt runnable.</param>
/// <param name="AttachPort">Attaches a port from its binding and the property type.</param>
/// <param name="ExcludeProperty">Properties not part of the configuration (e.g. those declared on the Puma base class); null for none.</param>
internal sealed record ChildHostOptions(
    ChildRunner Runner,
    Func<PortBinding, Type, object?> AttachPort,
    Func<PropertyInfo, bool>? ExcludeProperty)
{
    /// <summary>No Puma plug-ins: ports are <see cref="IPortPlaceholder"/>s and the runner echoes the configuration, then calls <c>RunAsync</c>.</summary>
    public static ChildHostOptions Default { get; } = new(ChildHost.DefaultRunner(null), PortPlaceholder.Create, null);
}
