using Puma.Runtime.Wire;

namespace Puma.Runtime.Map;

/// <summary>A kernel's type and configuration, as a process worker rebuilds it (the way a runnable is carried to its child).</summary>
/// <param name="AssemblyPath">Full path of the kernel type's assembly.</param>
/// <param name="TypeName">The kernel type's full name.</param>
/// <param name="Configuration">Its configuration properties as a JSON object.</param>
internal sealed record MapKernelCapture(string AssemblyPath, string TypeName, string Configuration)
{
    /// <summary>Captures <paramref name="kernel"/>.</summary>
    /// <exception cref="ArgumentException">The kernel cannot be rebuilt in a worker process; the message names the type or property and why.</exception>
    public static MapKernelCapture Of(object kernel)
    {
        var type = kernel.GetType();
        try
        {
            var configuration = RunnableConfiguration.Capture(kernel, static (property, _) =>
                throw new RunnablePlacementException(property.DeclaringType?.FullName ?? "?", property.Name, "a kernel has no ports: a channel end cannot be a kernel's property."));
            var location = type.Assembly.IsDynamic ? "" : type.Assembly.Location;
            if (string.IsNullOrEmpty(location))
                throw new RunnablePlacementException(type.FullName ?? type.Name, null, $"its assembly {type.Assembly.GetName().Name} has no file on disk, so a worker process cannot load it.");
            return new MapKernelCapture(location, type.FullName!, configuration.Properties.GetRawText());
        }
        catch (RunnablePlacementException e)
        {
            throw new ArgumentException($"Kernel {type.FullName} cannot run in worker processes (MapContext.Processes), which rebuild it from its public properties: {e.Message}", "kernel", e);
        }
    }
}
