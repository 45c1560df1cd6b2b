namespace Puma.Bench.Transports.BareRing;

/// <summary>
/// The floor of what any shared-memory transport costs under this harness, not a product: two single-writer
/// single-reader rings of fixed-size slots in a /dev/shm file (parent to child, child to parent), no record headers,
/// no per-message tag, cursors published in batches (an eighth of the ring), small messages streamed into their slot
/// with non-temporal stores, no checks of any kind (a dead peer or a corrupt cursor is not noticed), waits that spin
/// then sleep a millisecond at a time (no wake-ups). It tells what the machine allows:
/// a target above this figure cannot be met by any shared-memory design, and the gap between it and puma-shm is
/// what Puma's rings spend on what they promise (variable sizes, several writers and readers, completion with errors,
/// crash detection, wake-ups without sleeping).
/// </summary>
internal sealed class BareRingTransport : ITransport
{
    /// <inheritdoc/>
    public string Name => "bare-ring";

    /// <inheritdoc/>
    public IPendingLink Listen(int messageSize)
    {
        var toChild = BareRingSegment.Create(messageSize);
        try
        {
            return new Pending(toChild, BareRingSegment.Create(messageSize));
        }
        catch
        {
            toChild.Dispose();
            throw;
        }
    }

    /// <inheritdoc/>
    public TransportLink Connect(string argument, int messageSize)
    {
        var paths = argument.Split(',');
        if (paths.Length != 2) throw new ArgumentException($"bare-ring argument '{argument}' is not 'to-child,from-child'");
        var fromParent = BareRingSegment.Attach(paths[0], messageSize);
        var toParent = BareRingSegment.Attach(paths[1], messageSize);
        return Link(toParent, fromParent, CancellationToken.None);
    }

    private static TransportLink Link(BareRingSegment write, BareRingSegment read, CancellationToken cancel) =>
        new(new BareRingWriter(write, cancel), new BareRingReader(read, cancel), new Owner(write, read));

    private sealed class Pending(BareRingSegment toChild, BareRingSegment fromChild) : IPendingLink
    {
        private bool _accepted;

        public string ChildArgument => $"{toChild.Path},{fromChild.Path}";

        public void ChildStarted() { }

        public TransportLink Accept(TimeSpan timeout, CancellationToken cancel)
        {
            toChild.WaitForChild(timeout, cancel);
            fromChild.WaitForChild(timeout, cancel);
            _accepted = true;
            return Link(toChild, fromChild, cancel);
        }

        public void Dispose()
        {
            if (_accepted) return;
            toChild.Dispose();
            fromChild.Dispose();
        }
    }

    private sealed class Owner(BareRingSegment first, BareRingSegment second) : IDisposable
    {
        public void Dispose()
        {
            first.Dispose();
            second.Dispose();
        }
    }
}
