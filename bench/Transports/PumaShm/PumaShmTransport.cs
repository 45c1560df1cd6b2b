using Puma.Buffers;
using Puma.Buffers.SharedMemory;

namespace Puma.Bench.Transports.PumaShm;

/// <summary>
/// Puma's shared-memory ring (<see cref="SharedMemoryRing"/>): two rings, parent to child and
/// child to parent, created by the parent (names passed to the child, which attaches).
/// "puma-shm" uses the typed channel ends (<c>TryWrite</c>/<c>TryRead</c> of a 64-byte struct,
/// or of <c>byte[]</c> for 64 KiB / 1 MiB); "puma-shm-leased" the same typed ends through their
/// <c>TryClaim</c>/<c>Commit</c> and <c>TryLease</c> (no array per item, the fill is the only copy);
/// "puma-shm-zerocopy" the raw claim/commit and acquire/release ends. Both block in the ring's own waits (spin, then futex) when full or
/// empty, as the stream transports block in the kernel. Capacity: a buffer's default (4 MiB), or 4
/// messages for large ones. The parent's dispose releases the segments.
/// For a case with several readers (broadcast) it creates one ring in <see cref="BufferMode.Broadcast"/>
/// mode with a reader slot per child (the child gets the ring name and its slot) and no ring back:
/// the parent writes each message once and every child reads it.
/// </summary>
internal sealed class PumaShmTransport(PumaShmEnds ends) : IBroadcastTransport
{
    /// <inheritdoc/>
    public string Name => ends switch
    {
        PumaShmEnds.ZeroCopy => "puma-shm-zerocopy",
        PumaShmEnds.Leased => "puma-shm-leased",
        _ => "puma-shm",
    };

    private static long Capacity(int messageSize) => Math.Max(PumaBuffer.MinDefaultCapacityBytes, (4L * (messageSize + 16) + 7) / 8 * 8);

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
        var names = argument.Split(',');
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
    private TransportLink Ends(SharedMemoryRing writeRing, SharedMemoryRing readRing, int messageSize, CancellationToken cancel) =>
        new(Writer(writeRing, messageSize, cancel), Reader(readRing, slot: 0, messageSize, cancel), new Owner(writeRing, readRing));

    /// <summary>This transport's writer end on <paramref name="ring"/> (zero-copy or typed, by message size).</summary>
    private IMessageWriter Writer(SharedMemoryRing ring, int messageSize, CancellationToken cancel)
    {
        if (ends == PumaShmEnds.ZeroCopy) return new RingMessageWriter(ring.OpenWriter(), messageSize, cancel);
        if (ends == PumaShmEnds.Leased)
        {
            return messageSize == Message64.Size
                ? new ClaimedMessageWriter<Message64>(ring.CreateWriter<Message64>(), messageSize, cancel)
                : new ClaimedMessageWriter<byte[]>(ring.CreateWriter<byte[]>(), messageSize, cancel);
        }
        if (messageSize == Message64.Size)
        {
            var w = ring.CreateWriter<Message64>();
            return new StructChannelWriter<Message64>(w, () => w.Raw.WaitForSpace(Message64.Size, cancel));
        }
        var bw = ring.CreateWriter<byte[]>();
        return new BytesChannelWriter(bw, messageSize, () => bw.Raw.WaitForSpace(messageSize, cancel));
    }

    /// <summary>This transport's reader end on reader slot <paramref name="slot"/> of <paramref name="ring"/>.</summary>
    private IMessageReader Reader(SharedMemoryRing ring, int slot, int messageSize, CancellationToken cancel)
    {
        if (ends == PumaShmEnds.ZeroCopy) return new RingMessageReader(ring.OpenReader(slot), messageSize, cancel);
        if (ends == PumaShmEnds.Leased)
        {
            return messageSize == Message64.Size
                ? new LeasedMessageReader<Message64>(ring.CreateReader<Message64>(slot), messageSize, cancel)
                : new LeasedMessageReader<byte[]>(ring.CreateReader<byte[]>(slot), messageSize, cancel);
        }
        if (messageSize == Message64.Size)
        {
            var r = ring.CreateReader<Message64>(slot);
            return new StructChannelReader<Message64>(r, () => r.Raw.WaitToRead(cancel));
        }
        var br = ring.CreateReader<byte[]>(slot);
        return new BytesChannelReader(br, messageSize, () => br.Raw.WaitToRead(cancel));
    }

    /// <inheritdoc/>
    public IPendingBroadcast ListenBroadcast(int messageSize, int readers) =>
        new PendingBroadcast(this, SharedMemoryRing.Create(new SharedMemoryRingOptions
        {
            CapacityBytes = Capacity(messageSize),
            Mode = BufferMode.Broadcast,
            Readers = readers,
        }), messageSize);

    /// <inheritdoc/>
    public TransportLink ConnectBroadcast(string argument, int messageSize)
    {
        var parts = argument.Split(',');
        if (parts.Length != 2 || !int.TryParse(parts[1], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var slot))
            throw new ArgumentException($"puma-shm broadcast argument '{argument}' is not 'ring,slot'");
        var ring = SharedMemoryRing.Attach(parts[0]);
        try
        {
            return new TransportLink(NoChannel.Instance, Reader(ring, slot, messageSize, CancellationToken.None), ring);
        }
        catch
        {
            ring.Dispose();
            throw;
        }
    }

    /// <summary>Disposes two things, the second even when the first throws.</summary>
    private sealed class Owner(IDisposable a, IDisposable b) : IDisposable
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

    /// <summary>One broadcast ring (reader slots registered at creation), its name and a slot index per child.</summary>
    private sealed class PendingBroadcast(PumaShmTransport transport, SharedMemoryRing ring, int messageSize) : IPendingBroadcast
    {
        private bool _accepted;

        public string ChildArgument(int reader) => $"{ring.Name},{reader.ToString(System.Globalization.CultureInfo.InvariantCulture)}";

        public TransportLink Accept(IReadOnlyList<CancellationToken> childExited)
        {
            var anyExited = CancellationTokenSource.CreateLinkedTokenSource([.. childExited]);
            try
            {
                var link = new TransportLink(transport.Writer(ring, messageSize, anyExited.Token), NoChannel.Instance, new Owner(ring, anyExited));
                _accepted = true;
                return link;
            }
            catch
            {
                anyExited.Dispose();
                throw;
            }
        }

        public void Dispose()
        {
            if (!_accepted) ring.Dispose();
        }
    }
}
