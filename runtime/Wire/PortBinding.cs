namespace Puma.Runtime.Wire;

/// <summary>
/// What a port property is attached to, sent instead of the channel end itself. The runtime makes one per
/// port when it captures a runnable (<see cref="RunnableConfiguration.Capture"/>) and the child attaches the
/// buffer from it (<c>RunnableConfiguration.Restore</c>).
/// </summary>
/// <param name="BufferName">The buffer's name in the runtime.</param>
/// <param name="Direction">Reader or writer end.</param>
/// <param name="ElementType">Assembly-qualified name of the element type T.</param>
/// <param name="ReaderSlot">The reader's slot in the buffer for reader ends (broadcast and competing modes); -1 for writers.</param>
internal sealed record PortBinding(string BufferName, PortDirection Direction, string ElementType, int ReaderSlot)
{
    /// <summary>The shared-memory segment the buffer lives in, when it crosses processes.</summary>
    public string? Segment { get; init; }
}
