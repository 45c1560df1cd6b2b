namespace Puma.Bench.Transports.BareRing;

/// <summary>
/// The reading end of a <see cref="BareRingTransport"/> direction: reads slots in place up to the last write cursor it
/// saw, and publishes its read cursor every <see cref="BareRingSegment.PublishEvery"/> messages and before waiting.
/// </summary>
internal sealed unsafe class BareRingReader(BareRingSegment segment, CancellationToken cancel) : IMessageReader
{
    private readonly byte* _data = segment.Data;
    private readonly int _slots = segment.Slots;
    private readonly int _size = segment.MessageSize;
    private readonly int _publishEvery = segment.PublishEvery;
    private long _read;
    private long _published;
    private long _writtenSeen;
    private int _slot;

    /// <inheritdoc/>
    public int MessageSize => _size;

    /// <inheritdoc/>
    public ReadOnlySpan<byte> Acquire()
    {
        if (_read == _writtenSeen) WaitForMessage();
        return new ReadOnlySpan<byte>(_data + (long)_slot * _size, _size);
    }

    private void WaitForMessage()
    {
        Publish();
        if ((_writtenSeen = Volatile.Read(ref *segment.WriteCursor)) != _read) return;
        var arrived = BareRingWait.Until(this, static r => (r._writtenSeen = Volatile.Read(ref *r.Segment.WriteCursor)) != r._read,
            static r => Volatile.Read(ref *r.Segment.Closed) != 0, cancel);
        if (!arrived) throw new EndOfStreamException("the writer closed the ring");
    }

    private BareRingSegment Segment => segment;

    /// <inheritdoc/>
    public void Release()
    {
        _read++;
        if (++_slot == _slots) _slot = 0;
        if (_read - _published >= _publishEvery) Publish();
    }

    private void Publish()
    {
        _published = _read;
        Volatile.Write(ref *segment.ReadCursor, _read);
    }

    /// <summary>Nothing to release: the link's owner unmaps the segments.</summary>
    public void Dispose() { }
}
