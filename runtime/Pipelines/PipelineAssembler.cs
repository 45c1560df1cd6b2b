using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using Puma.Buffers;
using Puma.Runnables;
using Puma.Runtime.Child;
using Puma.Runtime.Wire;

namespace Puma.Runtime.Pipelines;

/// <summary>
/// Builds the objects of a valid <see cref="PipelineSpec"/>: its buffers, and its runnables rebuilt from their
/// configuration (as a child process rebuilds one, <see cref="RunnableConfiguration.Restore(Type, Func{PortBinding, Type, object?}, Func{PropertyInfo, bool}?)"/>)
/// with their ports bound to the new buffers' ends. Nothing is added to a runtime here, so a failure leaves it unchanged.
/// </summary>
internal static class PipelineAssembler
{
    /// <summary>The spec's buffers and runnables, in its order.</summary>
    /// <exception cref="PipelineSpecException">A buffer or runnable cannot be built (a constructor or setter threw); every one is listed.</exception>
    public static (IReadOnlyList<PumaBuffer> Buffers, IReadOnlyList<(Runnable Runnable, RunnableSpec Spec)> Runnables) Build(PipelineSpec spec)
    {
        var problems = new List<string>();
        var buffers = new Dictionary<string, PumaBuffer>(StringComparer.Ordinal);
        foreach (var buffer in spec.Buffers ?? [])
        {
            if (Collect(() => CreateBuffer(buffer), problems) is { } created)
                buffers.Add(buffer.Name, created);
        }

        var runnables = new List<(Runnable, RunnableSpec)>();
        if (problems.Count == 0)
        {
            foreach (var runnable in spec.Runnables ?? [])
            {
                if (Collect(() => CreateRunnable(runnable, buffers), problems) is { } created)
                    runnables.Add((created, runnable));
            }
        }

        if (problems.Count > 0)
            throw new PipelineSpecException(problems);
        return (buffers.Values.ToArray(), runnables);
    }

    /// <summary>What <paramref name="create"/> returns; null, and its problems added, when it throws a <see cref="PipelineSpecException"/>.</summary>
    private static T? Collect<T>(Func<T> create, List<string> problems)
        where T : class
    {
        try
        {
            return create();
        }
        catch (PipelineSpecException e)
        {
            problems.AddRange(e.Problems);
            return null;
        }
    }

    private static PumaBuffer CreateBuffer(BufferSpec spec)
    {
        var type = typeof(PumaBuffer<>).MakeGenericType(TypeNames.Resolve(spec.ItemType)!);
        try
        {
            return (PumaBuffer)Activator.CreateInstance(type, spec.Name, spec.Capacity, spec.Mode, spec.CapacityBytes)!;
        }
        catch (TargetInvocationException e) when (e.InnerException is not null)
        {
            throw new PipelineSpecException([$"Buffer '{spec.Name}' cannot be created: {e.InnerException.Message}"], e.InnerException);
        }
    }

    private static Runnable CreateRunnable(RunnableSpec spec, Dictionary<string, PumaBuffer> buffers)
    {
        var type = TypeNames.Resolve(spec.Type)!;
        var ports = (spec.Ports ?? new Dictionary<string, string>()).ToDictionary(
            kv => kv.Key, kv => new PortBinding(kv.Value, PortDirection.Reader, "", 0), StringComparer.Ordinal);
        var settings = RunnableConfiguration.ConfigurationProperties(type, ChildHostSetup.IsRunnableBaseProperty).ToDictionary(p => p.Name, StringComparer.Ordinal);
        var wire = new JsonObject();
        foreach (var (key, value) in spec.Configuration ?? [])
            wire[key] = SpecValues.ToWire(value, settings[key]);
        var properties = JsonSerializer.SerializeToElement(wire, RunnableConfiguration.ValueOptions);
        Runnable runnable;
        try
        {
            runnable = (Runnable)new RunnableConfiguration(properties, ports)
                .Restore(type, (binding, propertyType) => EndFor(buffers[binding.BufferName], propertyType), ChildHostSetup.IsRunnableBaseProperty);
        }
        catch (RunnablePlacementException e)
        {
            throw new PipelineSpecException([$"Runnable '{spec.Name}' cannot be built: {e.Message}"], e);
        }

        runnable.Rename(spec.Name);
        return runnable;
    }

    /// <summary>The end a port of <paramref name="propertyType"/> gets: the writer, the shared reader, or a new broadcast reader end.</summary>
    private static object EndFor(PumaBuffer buffer, Type propertyType)
    {
        RunnablePort.TryGetPortType(propertyType, out var isInput, out _);
        var type = buffer.GetType();
        if (!isInput)
            return type.GetProperty(nameof(PumaBuffer<int>.Writer))!.GetValue(buffer)!;
        return buffer.Mode == BufferMode.Broadcast
            ? type.GetMethod(nameof(PumaBuffer<int>.AddReader))!.Invoke(buffer, null)!
            : type.GetProperty(nameof(PumaBuffer<int>.Reader))!.GetValue(buffer)!;
    }
}
