using System.Reflection;
using Puma.Runnables;
using Puma.Runtime.Child;
using Puma.Runtime.Wire;

namespace Puma.Runtime.Pipelines;

/// <summary>The properties of a runnable type a spec sets: those a child process restores (ports included), by one rule for the runtime and Puma.Hosting.</summary>
internal static class SpecProperties
{
    /// <summary>The public settable (or init) properties of <paramref name="type"/> that are not the runnable base class's.</summary>
    /// <param name="type">The runnable's class.</param>
    /// <returns>The properties, ports included.</returns>
    public static IReadOnlyList<PropertyInfo> Of(Type type) =>
        RunnableConfiguration.ConfigurationProperties(type, ChildHostSetup.IsRunnableBaseProperty).ToList();

    /// <summary>True when <paramref name="property"/> is a port (a <c>ChannelReader&lt;T&gt;</c> or <c>ChannelWriter&lt;T&gt;</c>).</summary>
    /// <param name="property">A property of a runnable.</param>
    /// <returns>True for a port.</returns>
    public static bool IsPort(PropertyInfo property) => RunnablePort.TryGetPortType(property.PropertyType, out _, out _);
}
