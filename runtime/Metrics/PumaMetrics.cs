namespace Puma.Runtime;

/// <summary>
/// A snapshot of a runtime's metrics (see <see cref="PumaRuntime.Metrics"/>): every runnable and every buffer, in the
/// order they were added, with values gathered from every process of the pipeline.
/// </summary>
/// <param name="Timestamp">When the snapshot was taken.</param>
/// <param name="Runnables">One entry per runnable.</param>
/// <param name="Buffers">One entry per buffer.</param>
public sealed record PumaMetrics(DateTimeOffset Timestamp, IReadOnlyList<RunnableMetrics> Runnables, IReadOnlyList<BufferMetrics> Buffers)
{
    /// <summary>The runnable named <paramref name="name"/>.</summary>
    /// <param name="name">The runnable's name.</param>
    /// <exception cref="ArgumentException">The snapshot has no runnable of that name.</exception>
    public RunnableMetrics Runnable(string name) =>
        Runnables.FirstOrDefault(r => r.Name == name)
        ?? throw new ArgumentException($"No runnable named '{name}' in the metrics; they have: {string.Join(", ", Runnables.Select(r => r.Name))}.", nameof(name));

    /// <summary>The buffer named <paramref name="name"/>.</summary>
    /// <param name="name">The buffer's name.</param>
    /// <exception cref="ArgumentException">The snapshot has no buffer of that name.</exception>
    public BufferMetrics Buffer(string name) =>
        Buffers.FirstOrDefault(b => b.Name == name)
        ?? throw new ArgumentException($"No buffer named '{name}' in the metrics; they have: {string.Join(", ", Buffers.Select(b => b.Name))}.", nameof(name));
}
