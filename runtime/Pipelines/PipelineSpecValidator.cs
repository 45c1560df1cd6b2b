using System.Reflection;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Puma.Buffers;
using Puma.Runnables;
using Puma.Runtime.Child;
using Puma.Runtime.Supervision;
using Puma.Runtime.Wire;

namespace Puma.Runtime.Pipelines;

/// <summary>Finds every problem of a <see cref="PipelineSpec"/> without creating anything; the graph's end checks are <see cref="GraphValidator.CheckEnds"/>'s.</summary>
internal static class PipelineSpecValidator
{
    public static List<string> Validate(PipelineSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var problems = new List<string>();
        var buffers = CheckBuffers(spec.Buffers ?? [], problems);
        var ends = buffers.Keys.ToDictionary(name => name, _ => new BufferEnds(), StringComparer.Ordinal);
        var unsure = new HashSet<string>(StringComparer.Ordinal); // bound by a runnable whose ports cannot be known
        var names = new HashSet<string>(StringComparer.Ordinal);
        var runnables = spec.Runnables ?? [];
        for (var i = 0; i < runnables.Count; i++)
        {
            var runnable = runnables[i];
            if (runnable is null)
            {
                problems.Add($"Runnables[{i}] is null.");
                continue;
            }

            var label = string.IsNullOrWhiteSpace(runnable.Name) ? $"Runnables[{i}]" : $"Runnable '{runnable.Name}'";
            if (string.IsNullOrWhiteSpace(runnable.Name))
                problems.Add($"Runnables[{i}] has no name.");
            else if (!names.Add(runnable.Name))
                problems.Add($"Runnable '{runnable.Name}' is declared more than once: runnable names must be unique.");
            CheckPlacement(runnable, label, problems);
            var type = ResolveRunnableType(runnable, label, problems);
            if (type is null)
            {
                foreach (var bufferName in (runnable.Ports ?? new Dictionary<string, string>()).Values)
                    unsure.Add(bufferName ?? "");
                continue;
            }

            CheckConfiguration(runnable, type, label, problems);
            CheckPorts(runnable, type, label, string.IsNullOrWhiteSpace(runnable.Name) ? $"Runnables[{i}]" : runnable.Name, buffers, ends, problems);
        }

        foreach (var (name, bufferEnds) in ends)
        {
            if (unsure.Contains(name))
                continue;
            GraphValidator.CheckEnds(name, buffers[name].Mode, bufferEnds.Writers.Count > 0, bufferEnds.Readers.Count > 0,
                bufferEnds.Readers.Select((r, index) => (index, (IReadOnlyList<string>)r)), problems,
                "bind an output port (a ChannelWriter) of a runnable to it in its Ports",
                "bind an input port (a ChannelReader) of a runnable to it in its Ports");
            TransportPlan.CheckCompetingReaders(name, buffers[name].Mode, bufferEnds.CrossesProcesses, bufferEnds.ThreadReaders, problems);
        }

        return problems;
    }

    /// <summary>The runnable's type when it resolves to a runnable class that can be built; null (and a problem) otherwise.</summary>
    public static Type? ResolveRunnableType(RunnableSpec runnable, string label, List<string> problems)
    {
        if (string.IsNullOrWhiteSpace(runnable.Type))
        {
            problems.Add($"{label} has no type: set Type to its class, e.g. \"MyApp.Producer, MyApp\".");
            return null;
        }

        var type = TypeNames.Resolve(runnable.Type);
        if (type is null)
        {
            problems.Add($"{label}: type '{runnable.Type}' is not found (a misspelt name, or its assembly is not beside the application).");
            return null;
        }

        if (!typeof(Runnable).IsAssignableFrom(type))
        {
            problems.Add($"{label}: type '{runnable.Type}' is not a runnable (it does not derive from Puma.Runnables.Runnable).");
            return null;
        }

        try
        {
            RunnableConfiguration.CheckType(type);
            return type;
        }
        catch (RunnablePlacementException e)
        {
            problems.Add($"{label}: {e.Message}");
            return null;
        }
    }

    /// <summary>The item type (null when unknown) and mode of each buffer with a usable name; reports the buffers' problems.</summary>
    private static Dictionary<string, ResolvedBuffer> CheckBuffers(IReadOnlyList<BufferSpec> buffers, List<string> problems)
    {
        var resolved = new Dictionary<string, ResolvedBuffer>(StringComparer.Ordinal);
        for (var i = 0; i < buffers.Count; i++)
        {
            var buffer = buffers[i];
            if (buffer is null)
            {
                problems.Add($"Buffers[{i}] is null.");
                continue;
            }

            var label = string.IsNullOrWhiteSpace(buffer.Name) ? $"Buffers[{i}]" : $"Buffer '{buffer.Name}'";
            var ok = true;
            if (string.IsNullOrWhiteSpace(buffer.Name))
            {
                problems.Add($"Buffers[{i}] has no name.");
                ok = false;
            }
            else if (resolved.ContainsKey(buffer.Name))
            {
                problems.Add($"Buffer '{buffer.Name}' is declared more than once: buffer names must be unique.");
                continue;
            }

            Type? itemType = null;
            if (string.IsNullOrWhiteSpace(buffer.ItemType))
                problems.Add($"{label} has no item type: set ItemType, e.g. \"System.Int32\" or \"MyApp.Frame, MyApp\".");
            else if ((itemType = TypeNames.Resolve(buffer.ItemType)) is null)
                problems.Add($"{label}: item type '{buffer.ItemType}' is not found (a misspelt name, or its assembly is not beside the application).");
            problems.AddRange(PumaBuffer.SettingProblems(label, buffer.Capacity, buffer.Mode, buffer.CapacityBytes).Select(p => p.Message));
            if (ok)
                resolved[buffer.Name] = new ResolvedBuffer(itemType, buffer.Mode);
        }

        return resolved;
    }

    private static void CheckPlacement(RunnableSpec runnable, string label, List<string> problems)
    {
        if (!Enum.IsDefined(runnable.Placement))
            problems.Add($"{label}: unknown placement {(int)runnable.Placement}; use Thread, Process or Node.");
        else if (runnable.NodeRole is not null && runnable.Placement != Placement.Node)
            problems.Add($"{label}: NodeRole '{runnable.NodeRole}' is set but its placement is {runnable.Placement}; a role applies to Placement.Node only.");
        else if (runnable.NodeRole is not null && string.IsNullOrWhiteSpace(runnable.NodeRole))
            problems.Add($"{label}: NodeRole is empty; leave it out for any node.");
    }

    private static void CheckConfiguration(RunnableSpec runnable, Type type, string label, List<string> problems)
    {
        var properties = SpecProperties.Of(type);
        var settings = properties.Where(p => !IsPort(p)).ToDictionary(p => p.Name, StringComparer.Ordinal);
        var ports = properties.Where(IsPort).Select(p => p.Name).ToHashSet(StringComparer.Ordinal);
        var configuration = runnable.Configuration ?? [];
        foreach (var (key, value) in configuration)
        {
            if (ports.Contains(key))
            {
                problems.Add($"{label}: '{key}' is a port; bind it to a buffer in Ports, not in Configuration.");
                continue;
            }

            if (!settings.TryGetValue(key, out var property))
            {
                var known = settings.Count == 0 ? "it has none" : "it has " + string.Join(", ", settings.Keys);
                problems.Add($"{label}: configuration key '{key}' is not a configuration property (public, settable) of {type.FullName}; {known}.");
                continue;
            }

            try
            {
                if (value is null && property.PropertyType.IsValueType && Nullable.GetUnderlyingType(property.PropertyType) is null)
                    throw new JsonException("null is not a value of a non-nullable value type.");
                _ = value.Deserialize(property.PropertyType, SpecValues.Options);
            }
            catch (Exception e) when (e is JsonException or NotSupportedException or ArgumentException or InvalidOperationException or FormatException)
            {
                problems.Add($"{label}: configuration '{key}' is {Shorten(value?.ToJsonString() ?? "null")}, which does not convert to {property.PropertyType.Name}: {e.Message}");
            }
        }

        foreach (var property in settings.Values.Where(p => p.IsDefined(typeof(RequiredMemberAttribute)) && !configuration.ContainsKey(p.Name)))
            problems.Add($"{label}: required configuration property '{property.Name}' has no value in Configuration.");
    }

    private static void CheckPorts(RunnableSpec runnable, Type type, string label, string name,
        Dictionary<string, ResolvedBuffer> buffers, Dictionary<string, BufferEnds> ends, List<string> problems)
    {
        var ports = SpecProperties.Of(type).Where(IsPort).ToList();
        var bindings = runnable.Ports ?? new Dictionary<string, string>();
        foreach (var unknown in bindings.Keys.Where(k => ports.All(p => p.Name != k)))
        {
            var known = ports.Count == 0 ? "it has none" : "its ports are " + string.Join(", ", ports.Select(p => p.Name));
            problems.Add($"{label}: Ports binds '{unknown}', which is not a port of {type.FullName}; {known}.");
        }

        foreach (var port in ports)
        {
            RunnablePort.TryGetPortType(port.PropertyType, out var isInput, out var element);
            var kind = isInput ? "input" : "output";
            if (!bindings.TryGetValue(port.Name, out var bufferName) || string.IsNullOrWhiteSpace(bufferName))
            {
                problems.Add($"{label}: {kind} port {port.Name} ({element.Name}) is not bound to a buffer.");
                continue;
            }

            if (!buffers.TryGetValue(bufferName, out var buffer))
            {
                problems.Add($"{label}: {kind} port {port.Name} is bound to buffer '{bufferName}', which the spec does not declare.");
                continue;
            }

            if (buffer.ItemType is { } itemType && itemType != element)
                problems.Add($"{label}: {kind} port {port.Name} carries {TypeNames.Format(element)}, but buffer '{bufferName}' holds {TypeNames.Format(itemType)}.");
            var bufferEnds = ends[bufferName];
            bufferEnds.CrossesProcesses |= runnable.Placement != Placement.Thread;
            if (isInput && runnable.Placement == Placement.Thread)
                bufferEnds.ThreadReaders++;
            if (!isInput)
                bufferEnds.Writers.Add(name);
            else if (buffer.Mode == BufferMode.Broadcast || bufferEnds.Readers.Count == 0)
                bufferEnds.Readers.Add([name]); // a broadcast buffer gives each input port its own reader end
            else
                bufferEnds.Readers[0].Add(name);
        }
    }

    private static bool IsPort(PropertyInfo property) => SpecProperties.IsPort(property);

    private static string Shorten(string json) => json.Length <= 80 ? json : json[..77] + "...";

    private sealed record ResolvedBuffer(Type? ItemType, BufferMode Mode);

    /// <summary>Who writes a buffer, and who reads each of its reader ends.</summary>
    private sealed class BufferEnds
    {
        public List<string> Writers { get; } = [];

        public List<List<string>> Readers { get; } = [];

        /// <summary>True when a runnable bound to the buffer runs outside this process.</summary>
        public bool CrossesProcesses { get; set; }

        /// <summary>How many input ports bound to the buffer belong to runnables placed in threads.</summary>
        public int ThreadReaders { get; set; }
    }
}
