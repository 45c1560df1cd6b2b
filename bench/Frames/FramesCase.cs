using Puma.Buffers;

namespace Puma.Bench.Frames;

/// <summary>A case of the <c>frames</c> suite: the ring's delivery mode and how many reader processes.</summary>
/// <param name="Name">The case's name in the table and for <c>--cases</c>.</param>
/// <param name="Mode">Many-to-one (one reader) or broadcast (every reader gets every frame).</param>
/// <param name="Readers">Reader processes, one ring slot each.</param>
internal sealed record FramesCase(string Name, BufferMode Mode, int Readers)
{
    /// <summary>1 reader (many-to-one ring), then broadcast to 1, 2 and 3 readers.</summary>
    public static IReadOnlyList<FramesCase> All { get; } =
    [
        new("1-reader", BufferMode.ManyToOne, 1),
        new("broadcast-1", BufferMode.Broadcast, 1),
        new("broadcast-2", BufferMode.Broadcast, 2),
        new("broadcast-3", BufferMode.Broadcast, 3),
    ];
}
