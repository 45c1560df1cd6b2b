using System.Text.Json.Nodes;
using Puma.Buffers;
using Puma.Runnables;
using Puma.Runtime.Child;
using Puma.Runtime.Cluster;
using Puma.Runtime.Pipelines;
using Puma.Runtime.Wire;

namespace Puma.Runtime;

/// <summary>Pipelines as data: a runtime's graph as a <see cref="PipelineSpec"/>, and a spec added to a runtime.</summary>
public sealed partial class PumaRuntime
{
    /// <summary>
    /// The graph added so far as a spec: every buffer, and every runnable with its type, placement, configuration (its
    /// public settable properties, captured as for a child process) and the buffer each port is bound to. Nothing starts.
    /// </summary>
    /// <remarks>
    /// A spec does not describe a runnable's <see cref="FailurePolicy"/>: a runnable added with one is rebuilt by
    /// <see cref="AddPipeline(PipelineSpec)"/> with the runtime's default policy. Only a runtime that has not started can
    /// be described, since a running runnable's properties change under the capture.
    /// </remarks>
    /// <returns>The spec; <see cref="PipelineSpec.ToJson"/> saves it and <see cref="AddPipeline(PipelineSpec)"/> rebuilds it in another runtime.</returns>
    /// <exception cref="PipelineSpecException">
    /// The graph cannot be described, so a spec of it would not load: a configuration value that does not survive
    /// System.Text.Json, a port that is not set or is bound to a plain channel or to another runtime's buffer, or a
    /// buffer end held by the application (it writes or reads the buffer itself). Every such problem is listed.
    /// </exception>
    /// <exception cref="InvalidOperationException">The runtime has already started.</exception>
    public PipelineSpec ToSpec()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        EnsureNotStarted();
        var problems = new List<string>();
        var bound = new HashSet<(PumaBuffer Buffer, bool IsWriter, int Index)>();
        var buffers = _buffers.Values.Select(b => new BufferSpec
        {
            Name = b.Name,
            ItemType = TypeNames.Format(b.ElementType),
            Capacity = b.Capacity,
            Mode = b.Mode,
            CapacityBytes = b.CapacityBytes == PumaBuffer.DefaultCapacityBytes(b.Capacity) ? null : b.CapacityBytes,
        }).ToArray();
        var runnables = new List<RunnableSpec>();
        foreach (var slot in _slots)
        {
            if (Describe(slot, bound, problems) is { } spec)
                runnables.Add(spec);
        }

        foreach (var buffer in _buffers.Values)
            HeldByTheApplication(buffer, bound, problems);

        if (problems.Count > 0)
            throw new PipelineSpecException(problems);
        return new PipelineSpec { Buffers = buffers, Runnables = runnables };
    }

    /// <summary>
    /// Adds a pipeline: creates its buffers and rebuilds each runnable from its configuration, its ports bound to the new
    /// buffers' ends, in its placement. The spec is validated first (see <see cref="PipelineSpec.GetProblems"/>), names
    /// already taken in this runtime included; on any problem nothing is added.
    /// </summary>
    /// <param name="spec">The pipeline.</param>
    /// <exception cref="PipelineSpecException">The spec has problems; all are listed.</exception>
    /// <exception cref="InvalidOperationException">The runtime has already started.</exception>
    public void AddPipeline(PipelineSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        EnsureNotStarted();
        var problems = PipelineSpecValidator.Validate(spec);
        foreach (var buffer in (spec.Buffers ?? []).Where(b => b?.Name is not null && _buffers.ContainsKey(b.Name)))
            problems.Add($"Buffer '{buffer.Name}' already exists in this runtime.");
        foreach (var runnable in (spec.Runnables ?? []).Where(r => r?.Name is not null && _slotsByName.ContainsKey(r.Name)))
            problems.Add($"Runnable '{runnable.Name}' was already added to this runtime.");
        if (problems.Count > 0)
            throw new PipelineSpecException(problems);

        var (buffers, runnables) = PipelineAssembler.Build(spec);
        foreach (var buffer in buffers)
            _buffers.Add(buffer.Name, buffer);
        foreach (var (runnable, runnableSpec) in runnables)
        {
            var node = runnableSpec.Placement == Placement.Node ? new NodePlacement(runnableSpec.NodeRole) : null;
            Add(runnable, runnableSpec.Placement, node, null);
        }
    }

    /// <summary>The captured configuration with its values as a spec writes them (enums as names).</summary>
    private static JsonObject SpecConfiguration(Type type, RunnableConfiguration configuration)
    {
        var settings = RunnableConfiguration.ConfigurationProperties(type, ChildHostSetup.IsRunnableBaseProperty).ToDictionary(p => p.Name, StringComparer.Ordinal);
        var values = new JsonObject();
        foreach (var value in configuration.Properties.EnumerateObject())
            values[value.Name] = SpecValues.FromWire(value.Value, settings[value.Name]);
        return values;
    }

    /// <summary>Adds a problem for each end of <paramref name="buffer"/> handed out but bound to no runnable: a spec has no place for it.</summary>
    private static void HeldByTheApplication(PumaBuffer buffer, HashSet<(PumaBuffer, bool, int)> bound, List<string> problems)
    {
        if (buffer.WriterHandedOut && !bound.Contains((buffer, true, 0)))
            problems.Add($"Buffer '{buffer.Name}': its writer is held by the application (taken but bound to no runnable); a spec cannot describe it.");
        var readerEnds = buffer.Mode == BufferMode.Broadcast ? buffer.ReaderEndsHandedOut : Math.Min(buffer.ReaderEndsHandedOut, 1);
        for (var index = 0; index < readerEnds; index++)
        {
            if (!bound.Contains((buffer, false, index)))
                problems.Add($"Buffer '{buffer.Name}': reader end {index} is held by the application (taken but bound to no runnable); a spec cannot describe it.");
        }
    }

    /// <summary>One runnable as a spec; null (and a problem) when it cannot be described. Adds the buffer ends it binds to <paramref name="bound"/>.</summary>
    private RunnableSpec? Describe(Supervision.RunnableSlot slot, HashSet<(PumaBuffer, bool, int)> bound, List<string> problems)
    {
        var ports = new Dictionary<string, string>(StringComparer.Ordinal);
        RunnableConfiguration configuration;
        var before = problems.Count;
        try
        {
            configuration = RunnableConfiguration.Capture(slot.Runnable, (property, value) =>
            {
                if (value is IBufferEnd end && _buffers.TryGetValue(end.Buffer.Name, out var known) && ReferenceEquals(known, end.Buffer))
                {
                    ports.Add(property.Name, end.Buffer.Name);
                    bound.Add((end.Buffer, end.IsWriter, end.Index));
                }
                else
                {
                    problems.Add($"Runnable '{slot.Name}': port {property.Name} " + value switch
                    {
                        IBufferEnd other => $"is bound to buffer '{other.Buffer.Name}', which belongs to another runtime.",
                        not null => $"is a plain channel ({value.GetType().Name}), which a spec cannot describe; use a buffer made by runtime.CreateBuffer.",
                        null => "is not set; a spec cannot describe it.",
                    });
                }

                return new PortBinding("", PortDirection.Reader, "", 0);
            }, ChildHostSetup.IsRunnableBaseProperty);
        }
        catch (RunnablePlacementException e)
        {
            problems.Add($"Runnable '{slot.Name}' cannot be described: {e.Message}");
            return null;
        }

        if (problems.Count > before)
            return null;
        return new RunnableSpec
        {
            Name = slot.Name,
            Type = TypeNames.Format(slot.Runnable.GetType()),
            Placement = slot.Placement,
            NodeRole = slot.NodePlacement?.Role,
            Configuration = SpecConfiguration(slot.Runnable.GetType(), configuration),
            Ports = ports,
        };
    }
}
