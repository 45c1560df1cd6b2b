using Puma.Buffers.SharedMemory;

namespace Puma.Bench.Transports.PumaShm;

/// <summary>
/// Puma's shared-memory ring (<see cref="SharedMemoryRing"/>): two rings, parent to child and
/// child to parent, created by the parent (names passed to the child, which attaches).
/// "puma-shm" uses the typed channel ends (<c>TryWrite</c>/<c>TryRead</c> of a 64-byte struct,
/// or of <c>byte[]</c> for 64 KiB / 1 MiB); "puma-shm-zerocopy" the raw claim/commit and
/// acquire/release ends. Both block in the ring's own waits (spin, then futex) when full or
/// empty, as the stream transports block in the kernel. Capacity: 1 MiB, or 4 messages for
/// large ones. The parent's dispose unlinks the segments.
/// </summary>
internal sealed class PumaShmTransport(bool zeroCopy) : ITransport
{
    /// <inheritdoc/>
    public string Name => zeroCopy ? "puma-shm-zerocopy" : "puma-shm";

    private static long Capacity(int messageSize) => Math.Max(1L << 20, (4L * (messageSize + 16) + 7) / 8 * 8);

    /// <inheritdoc/>
    public IPendingLink Listen(int messageSize)
    {
        var options = new SharedMemoryRingOptions { CapacityBytes = Capacity(messageSize) };
        var toChild = SharedMemoryRing.Create(options);
        SharedMemoryRing? fromChild = null;
        try
        {
            fromChild = SharedMemoryRing.Create(options);
            return new Pending(this, toChild, fromChild, messageSize);
        }
        catch
        {
            fromChild?.Dispose();
            toChild.Dispose();
            throw;
        }
    }

    /// <inheritdoc/>
    public TransportLink Connect(string argument, int messageSize)
    {
        string[] names = argument.Split(',');
        if (names.Length != 2) throw new ArgumentException($"puma-shm argument '{argument}' is not 'to-child,from-child'");
        var fromParent = SharedMemoryRing.Attach(names[0]);
        SharedMemoryRing? toParent = null;
        try
        {
            toParent = SharedMemoryRing.Attach(names[1]);
            return Ends(writeRing: toParent, readRing: fromParent, messageSize, CancellationToken.None);
        }
        catch
        {
            toParent?.Dispose();
            fromParent.Dispose();
            throw;
        }
    }

    /// <summary>
    /// The link writing to <paramref name="writeRing"/> and reading <paramref name="readRing"/>; it owns both
    /// rings. Its waits give up when <paramref name="cancel"/> fires: in the parent, when the child exited,
    /// since a writer otherwise waits for a reader slot that a child which never attached still holds.
    /// </summary>
    private TransportLink Ends(SharedMemoryRing writeRing, SharedMemoryRing readRing, int messageSize, CancellationToken cancel)
    {
        var owner = new Rings(writeRing, readRing);
        if (zeroCopy)
            return new TransportLink(new RingMessageWriter(writeRing.OpenWriter(), messageSize, cancel), new RingMessageReader(readRing.OpenReader(), messageSize, cancel), owner);
        if (messageSize == Message64.Size)
        {
            var w = writeRing.CreateWriter<Message64>();
            var r = readRing.CreateReader<Message64>();
            return new TransportLink(
                new StructChannelWriter<Message64>(w, () => w.Raw.WaitForSpace(Message64.Size, cancel)),
                new StructChannelReader<Message64>(r, () => r.Raw.WaitToRead(cancel)),
                owner);
        }
        var bw = writeRing.CreateWriter<byte[]>();
        var br = readRing.CreateReader<byte[]>();
        return new TransportLink(
            new BytesChannelWriter(bw, messageSize, () => bw.Raw.WaitForSpace(messageSize, cancel)),
            new BytesChannelReader(br, messageSize, () => br.Raw.WaitToRead(cancel)),
            owner);
    }

    private sealed class Rings(SharedMemoryRing a, SharedMemoryRing b) : IDisposable
    {
        public void Dispose()
        {
            try { a.Dispose(); }
            finally { b.Dispose(); }
        }
    }

    private sealed class Pending(PumaShmTransport transport, SharedMemoryRing toChild, SharedMemoryRing fromChild, int messageSize) : IPendingLink
    {
        private bool _accepted;

        public string ChildArgument => $"{toChild.Name},{fromChild.Name}";

        public void ChildStarted() { }

        public TransportLink Accept(TimeSpan timeout, CancellationToken cancel)
        {
            // The reader slot is registered at creation: nothing written before the child attaches is lost.
            var link = transport.Ends(writeRing: toChild, readRing: fromChild, messageSize, cancel);
            _accepted = true;
            return link;
        }

        public void Dispose()
        {
            if (_accepted) return;
            toChild.Dispose();
            fromChild.Dispose();
        }
    }
}
