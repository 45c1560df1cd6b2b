using System.Text.Json.Nodes;
using Puma.Runnables;

namespace Puma.Runtime.Pipelines;

/// <summary>
/// A runnable of a <see cref="PipelineSpec"/>: its type, name, placement, configuration and the buffer each port binds to.
/// When the spec is added to a runtime, the type is created with its public parameterless constructor, its configuration
/// properties are set from <see cref="Configuration"/> and its ports to the named buffers' ends.
/// A spec has no failure policy: the runnable gets its runtime's default (<see cref="PumaRuntime.ToSpec"/> does not keep
/// a policy given to <c>runtime.Add</c>).
/// </summary>
public sealed record RunnableSpec
{
    /// <summary>The runnable's name, unique in the pipeline (its <c>Runnable.Name</c>).</summary>
    public string Name { get; init; } = "";

    /// <summary>The runnable's class: <c>Namespace.Type, Assembly</c> (no version needed). It derives from <see cref="Runnable"/>.</summary>
    public string Type { get; init; } = "";

    /// <summary>Where it runs; <see cref="Placement.Thread"/> by default.</summary>
    public Placement Placement { get; init; } = Placement.Thread;

    /// <summary>For <see cref="Placement.Node"/>: the role its node must advertise; null for any node.</summary>
    public string? NodeRole { get; init; }

    /// <summary>
    /// Its configuration: a JSON object of property name to value for its public settable (or init) properties that are
    /// not ports, as System.Text.Json writes them. A property left out keeps the value its constructor gives it.
    /// </summary>
    public JsonObject Configuration { get; init; } = new();

    /// <summary>Port property name to buffer name, for every port (<c>ChannelReader&lt;T&gt;</c> and <c>ChannelWriter&lt;T&gt;</c> properties).</summary>
    public IReadOnlyDictionary<string, string> Ports { get; init; } = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>A spec for a runnable of type <typeparamref name="TRunnable"/>; add its configuration and ports with <c>with { ... }</c> or an initialiser.</summary>
    /// <typeparam name="TRunnable">The runnable's class.</typeparam>
    /// <param name="name">Its name, unique in the pipeline.</param>
    /// <param name="placement">Where it runs.</param>
    /// <returns>The spec, with no configuration and no ports yet.</returns>
    public static RunnableSpec For<TRunnable>(string name, Placement placement = Placement.Thread)
        where TRunnable : Runnable =>
        new() { Name = name, Type = TypeNames.Format(typeof(TRunnable)), Placement = placement };

    /// <summary>The runnable's class named by <see cref="Type"/>, when an assembly of this process defines it; null otherwise.</summary>
    /// <returns>The type, which may still not be a usable runnable: <see cref="PipelineSpec.GetProblems"/> says.</returns>
    internal System.Type? ResolveType() => TypeNames.Resolve(Type);

    /// <inheritdoc />
    public bool Equals(RunnableSpec? other) =>
        other is not null && (ReferenceEquals(this, other)
            || (Name == other.Name && Type == other.Type && Placement == other.Placement && NodeRole == other.NodeRole
                && JsonNode.DeepEquals(Configuration, other.Configuration) && SamePorts(Ports, other.Ports)));

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Name, Type, Placement, NodeRole);

    private static bool SamePorts(IReadOnlyDictionary<string, string>? a, IReadOnlyDictionary<string, string>? b) =>
        (a?.Count ?? 0) == (b?.Count ?? 0)
        && (a is null || a.All(kv => b!.TryGetValue(kv.Key, out var other) && other == kv.Value));
}
