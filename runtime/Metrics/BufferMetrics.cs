using Puma.Buffers;

namespace Puma.Runtime;

/// <summary>The metrics of one buffer, summed over every process that has an end of it.</summary>
/// <param name="Name">The buffer's name.</param>
/// <param name="Mode">How it delivers items.</param>
/// <param name="ItemsWritten">Items written to it.</param>
/// <param name="ItemsRead">Items read from it, summed over its reader ends (a broadcast buffer's item counts once per reader).</param>
/// <param name="BytesWritten">
/// Bytes written: the encoded size of each item on a shared-memory ring; in an in-process channel, the size of
/// unmanaged struct items (what a ring would carry) and 0 for other types, which a channel passes by reference.
/// </param>
/// <param name="BytesRead">Bytes read, counted as <paramref name="BytesWritten"/> is.</param>
/// <param name="FillLevel">How full it is now, 0..1: items over capacity in-process, bytes over capacity on a ring.</param>
/// <param name="WriterWaits">How often a writer found it full and had to wait: its back-pressure.</param>
public sealed record BufferMetrics(
    string Name,
    BufferMode Mode,
    long ItemsWritten,
    long ItemsRead,
    long BytesWritten,
    long BytesRead,
    double FillLevel,
    long WriterWaits);
