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
    public static (IReadOnlyList<PumaBuffer> Buffers, IReadOnlyList<(Runnable Runnable, RunnableSpec Spec)> Runnables) Build(PipelineSpec spec)
    {
        var buffers = new Dictionary<string, PumaBuffer>(StringComparer.Ordinal);
        foreach (var buffer in spec.Buffers ?? [])
            buffers.Add(buffer.Name, CreateBuffer(buffer));

        var runnables = new List<(Runnable, RunnableSpec)>();
        foreach (var runnable in spec.Runnables ?? [])
            runnables.Add((CreateRunnable(runnable, buffers), runnable));
        return (buffers.Values.ToArray(), runnables);
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
