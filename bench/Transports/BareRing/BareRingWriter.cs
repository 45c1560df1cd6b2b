using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Puma.Bench.Transports.BareRing;

/// <summary>
/// The writing end of a <see cref="BareRingTransport"/> direction: a message is a slot; the write cursor is published
/// (one release store) every <see cref="BareRingSegment.PublishEvery"/> messages, on <see cref="Flush"/> and before
/// waiting for room. Room is known from the last look at the read cursor. Messages of up to 4 KiB (a multiple of 16
/// bytes, on x64) are filled in a private buffer and streamed into the slot with non-temporal stores on commit, which
/// never wait for the slot's cache lines to come back from the reader's core (see Puma's RingWriter.Streaming.cs);
/// larger ones are filled in place.
/// </summary>
internal sealed unsafe class BareRingWriter : IMessageWriter
{
    private readonly BareRingSegment _segment;
    private readonly CancellationToken _cancel;
    private readonly byte* _data;
    private readonly int _slots;
    private readonly int _size;
    private readonly int _publishEvery;
    private readonly byte* _staging;
    private long _written;
    private long _published;
    private long _readSeen;
    private int _slot;
    private bool _streamed;

    public BareRingWriter(BareRingSegment segment, CancellationToken cancel)
    {
        _segment = segment;
        _cancel = cancel;
        _data = segment.Data;
        _slots = segment.Slots;
        _size = segment.MessageSize;
        _publishEvery = segment.PublishEvery;
        if (Sse2.IsSupported && _size <= 4096 && _size % 16 == 0)
            _staging = (byte*)NativeMemory.AlignedAlloc((nuint)_size, 64);
    }

    /// <inheritdoc/>
    public int MessageSize => _size;

    /// <inheritdoc/>
    public Span<byte> Claim()
    {
        if (_written - _readSeen >= _slots) WaitForRoom();
        return new Span<byte>(_staging != null ? _staging : Slot, _size);
    }

    private byte* Slot => _data + (long)_slot * _size;

    private void WaitForRoom()
    {
        Publish();
        _readSeen = Volatile.Read(ref *_segment.ReadCursor);
        if (_written - _readSeen < _slots) return;
        BareRingWait.Until(this, static w => w._written - (w._readSeen = Volatile.Read(ref *w._segment.ReadCursor)) < w._slots, static _ => false, _cancel);
    }

    /// <inheritdoc/>
    public void Commit()
    {
        if (_staging != null)
        {
            var slot = Slot;
            for (var i = 0; i < _size; i += 16)
                Sse2.StoreAlignedNonTemporal(slot + i, Vector128.Load(_staging + i));
            _streamed = true;
        }
        _written++;
        if (++_slot == _slots) _slot = 0;
        if (_written - _published >= _publishEvery) Publish();
    }

    private void Publish()
    {
        if (_streamed)
        {
            Sse.StoreFence(); // the streamed slots are visible before the cursor that hands them over
            _streamed = false;
        }
        _published = _written;
        Volatile.Write(ref *_segment.WriteCursor, _written);
    }

    /// <inheritdoc/>
    public void Flush() => Publish();

    /// <summary>Publishes what is written and marks the direction closed: the reader sees end of stream once it has read it all.</summary>
    public void Dispose()
    {
        Publish();
        Volatile.Write(ref *_segment.Closed, 1);
        if (_staging != null) NativeMemory.AlignedFree(_staging);
    }
}
