using System.Text.Json;

namespace Puma.Runtime.Pipelines;

/// <summary>
/// A pipeline as data: its buffers and its runnables (type, name, placement, configuration, port bindings). Build it in
/// code, take it from a configured runtime (<see cref="PumaRuntime.ToSpec"/>), load it from JSON (<see cref="FromJson"/>,
/// <see cref="LoadAsync"/>) or from configuration (Puma.Hosting), check it without starting anything
/// (<see cref="Validate"/>), save it (<see cref="ToJson"/>, <see cref="SaveAsync"/>) and run it
/// (<see cref="PumaRuntime.AddPipeline(PipelineSpec)"/>).
/// </summary>
/// <remarks>Two specs are equal when their buffers and runnables are equal, in order (configurations compared as JSON).</remarks>
public sealed record PipelineSpec
{
    /// <summary>The buffers, in the order they are created.</summary>
    public IReadOnlyList<BufferSpec> Buffers { get; init; } = [];

    /// <summary>The runnables, in the order they are added.</summary>
    public IReadOnlyList<RunnableSpec> Runnables { get; init; } = [];

    /// <summary>
    /// Every problem of the spec, without starting or creating anything: unknown or unusable types, bad names and
    /// capacities, duplicate names, configuration values that do not fit their properties, unbound ports, ports bound to
    /// an unknown buffer or to a buffer of another item type, buffers with no reader or no writer. Each names its
    /// buffer, runnable or port.
    /// </summary>
    /// <returns>One sentence per problem; empty when the spec can be added to a runtime.</returns>
    public IReadOnlyList<string> GetProblems() => PipelineSpecValidator.Validate(this);

    /// <summary>Throws when the spec has problems (see <see cref="GetProblems"/>).</summary>
    /// <exception cref="PipelineSpecException">The spec has problems; <see cref="PipelineSpecException.Problems"/> lists them all.</exception>
    public void Validate()
    {
        var problems = GetProblems();
        if (problems.Count > 0)
            throw new PipelineSpecException(problems);
    }

    /// <summary>The spec as indented JSON (enums as names), which <see cref="FromJson"/> reads back.</summary>
    /// <returns>The JSON text.</returns>
    public string ToJson() => JsonSerializer.Serialize(this, PipelineSpecJsonContext.Default.PipelineSpec);

    /// <summary>Reads a spec written by <see cref="ToJson"/> (or by hand). It is not validated: call <see cref="Validate"/>.</summary>
    /// <param name="json">The JSON text; property names are case-insensitive, comments and trailing commas allowed.</param>
    /// <returns>The spec.</returns>
    /// <exception cref="PipelineSpecException">The text is not JSON, or has a member a spec does not have, or a value of the wrong kind; the problem gives its path.</exception>
    public static PipelineSpec FromJson(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        try
        {
            return JsonSerializer.Deserialize(json, PipelineSpecJsonContext.Default.PipelineSpec)
                ?? throw new PipelineSpecException(["The pipeline spec JSON is null, not an object."]);
        }
        catch (JsonException e)
        {
            throw new PipelineSpecException([$"The pipeline spec JSON cannot be read: {e.Message}"], e);
        }
    }

    /// <summary>
    /// Writes the spec to <paramref name="path"/> as JSON (see <see cref="ToJson"/>), replacing the file at once: it is
    /// written to a temporary file beside it, then moved over it, so a reader never sees half a spec and a failed save
    /// leaves the old file as it was.
    /// </summary>
    /// <param name="path">The file to write.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>A task that completes when the file is written.</returns>
    public async Task SaveAsync(string path, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var full = Path.GetFullPath(path);
        var temporary = Path.Combine(Path.GetDirectoryName(full)!, $".{Path.GetFileName(full)}.{Guid.NewGuid():N}.tmp");
        try
        {
            await File.WriteAllTextAsync(temporary, ToJson() + Environment.NewLine, cancellationToken).ConfigureAwait(false);
            File.Move(temporary, full, overwrite: true);
        }
        catch
        {
            if (File.Exists(temporary))
                File.Delete(temporary);
            throw;
        }
    }

    /// <summary>Reads a spec from a JSON file (see <see cref="FromJson"/>). It is not validated: call <see cref="Validate"/>.</summary>
    /// <param name="path">The file to read.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The spec.</returns>
    /// <exception cref="PipelineSpecException">The file is not a pipeline spec; the problem names the file.</exception>
    public static async Task<PipelineSpec> LoadAsync(string path, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var json = await File.ReadAllTextAsync(path, cancellationToken).ConfigureAwait(false);
        try
        {
            return FromJson(json);
        }
        catch (PipelineSpecException e)
        {
            throw new PipelineSpecException(e.Problems.Select(p => $"{path}: {p}").ToArray(), e.InnerException);
        }
    }

    /// <summary>The spec as JSON (see <see cref="ToJson"/>).</summary>
    /// <returns>The JSON text.</returns>
    public override string ToString() => ToJson();

    /// <inheritdoc />
    public bool Equals(PipelineSpec? other) =>
        other is not null && (ReferenceEquals(this, other)
            || ((Buffers ?? []).SequenceEqual(other.Buffers ?? []) && (Runnables ?? []).SequenceEqual(other.Runnables ?? [])));

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Buffers?.Count ?? 0, Runnables?.Count ?? 0);
}
