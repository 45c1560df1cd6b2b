using System.IO.MemoryMappedFiles;
using Puma.Buffers.Events;
using Puma.Buffers.SharedMemory;

namespace Puma.Buffers;

/// <summary>
/// The mapping of one shared object's segment. The creator maps a new segment at once; a copy that came from
/// another process (as JSON) maps it on first use (<see cref="Pointer"/>) and validates its header then, so an
/// object that is only deserialized (the parent's round-trip check) maps nothing and holds nothing.
/// Every operation runs between <see cref="Enter"/> and <see cref="Exit"/> (a <see cref="UseCount"/>): disposing
/// the object while a thread is inside unmaps the segment when that thread leaves, so a thread still using the object
/// gets <see cref="ObjectDisposedException"/> on its next call, never an access to unmapped memory.
/// </summary>
internal sealed unsafe class SharedMapping : IDisposable
{
    private readonly object _gate = new();
    private readonly string _label;
    private readonly Action<IntPtr, long>? _validate;
    private RingSegment? _segment;
    private MemoryMappedViewAccessor? _view;
    private nint _address;
    private bool _acquired;
    private readonly UseCount _use;
    private bool _disposed;

    private SharedMapping(string segmentName, string label, bool isCreator, Action<IntPtr, long>? validate)
    {
        SegmentName = segmentName;
        _label = label;
        IsCreator = isCreator;
        _validate = validate;
        _use = new UseCount(Release);
    }

    /// <summary>The segment's name: what another process passes to <see cref="Attaching"/>.</summary>
    public string SegmentName { get; }

    /// <summary>True in the process that created the segment.</summary>
    public bool IsCreator { get; }

    /// <summary>True once mapped (always for the creator, on first use for an attached copy).</summary>
    public bool IsMapped => Volatile.Read(ref _address) != 0;

    /// <summary>
    /// The segment's first byte, without counting the caller in; maps and validates it first when this is an attached
    /// copy not used yet. Only for a <see cref="SharedArray{T}"/>'s spans, which escape any count (the runtime keeps its
    /// shared objects mapped while an abandoned thread runnable may still use them), and for tests.
    /// </summary>
    /// <exception cref="ObjectDisposedException">The mapping was disposed.</exception>
    /// <exception cref="BufferCorruptedException">The segment's header is not valid for this object.</exception>
    /// <exception cref="FileNotFoundException">The segment is gone (its creator exited or released it).</exception>
    public byte* Pointer
    {
        get
        {
            var address = Volatile.Read(ref _address);
            return address != 0 ? (byte*)address : Attach();
        }
    }

    /// <summary>
    /// A new segment of <paramref name="length"/> bytes (a sealed memfd on Linux, else a 0600 file), zeroed,
    /// mapped; <paramref name="initialize"/> writes the header.
    /// </summary>
    public static SharedMapping Create(long length, string label, Action<IntPtr> initialize)
    {
        var segment = RingSegment.Create(length);
        var mapping = new SharedMapping(segment.Name, label, isCreator: true, validate: null);
        try
        {
            var address = mapping.Map(segment);
            initialize(address);
            Volatile.Write(ref mapping._address, address);
            return mapping;
        }
        catch
        {
            mapping.Dispose();
            throw;
        }
    }

    /// <summary>A mapping of the segment <paramref name="segmentName"/>, made on first use and checked by <paramref name="validate"/> (pointer, length).</summary>
    public static SharedMapping Attaching(string segmentName, string label, Action<IntPtr, long> validate) =>
        new(segmentName, label, isCreator: false, validate);

    private byte* Attach()
    {
        lock (_gate)
        {
            if (_disposed)
                throw new ObjectDisposedException(_label);
            if (_address != 0)
                return (byte*)_address;
            var segment = RingSegment.Open(SegmentName, SharedHeader.Size);
            try
            {
                var address = Map(segment);
                _validate!(address, segment.Length);
                Volatile.Write(ref _address, address);
                return (byte*)address;
            }
            catch
            {
                Unmap();
                throw;
            }
        }
    }

    /// <summary>Maps <paramref name="segment"/> and returns its address; <see cref="Pointer"/> gives it only once published.</summary>
    private nint Map(RingSegment segment)
    {
        _segment = segment;
        _view = segment.Map.CreateViewAccessor(0, segment.Length, MemoryMappedFileAccess.ReadWrite);
        byte* pointer = null;
        _view.SafeMemoryMappedViewHandle.AcquirePointer(ref pointer);
        _acquired = true;
        return (nint)(pointer + _view.PointerOffset);
    }

    private void Unmap()
    {
        if (_acquired)
            _view!.SafeMemoryMappedViewHandle.ReleasePointer();
        _acquired = false;
        Volatile.Write(ref _address, 0);
        _view?.Dispose();
        _view = null;
        _segment?.Release(IsCreator);
        _segment = null;
    }

    /// <summary>True once disposed.</summary>
    public bool IsDisposed => Volatile.Read(ref _disposed);

    /// <summary>
    /// Counts the calling thread in and returns the segment's first byte (mapping it first when this is an attached
    /// copy not used yet); it stays mapped until <see cref="Exit"/>, even if the object is disposed meanwhile.
    /// </summary>
    /// <exception cref="ObjectDisposedException">The mapping was disposed.</exception>
    /// <exception cref="BufferCorruptedException">The segment's header is not valid for this object.</exception>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public byte* Enter()
    {
        if (!_use.TryEnter())
            throw new ObjectDisposedException(_label);
        var address = Volatile.Read(ref _address);
        return address != 0 ? (byte*)address : EnterAttaching();
    }

    /// <summary>Same as <see cref="Enter"/>, as an address (for async code, which cannot hold a pointer).</summary>
    public nint EnterAddress() => (nint)Enter();

    /// <summary>Counts the calling thread in when the segment is mapped and not disposed; false (and not counted in) otherwise.</summary>
    public bool TryEnterMapped(out byte* segment)
    {
        segment = null;
        if (!_use.TryEnter())
            return false;
        var address = Volatile.Read(ref _address);
        if (address == 0)
        {
            _use.Exit();
            return false;
        }
        segment = (byte*)address;
        return true;
    }

    /// <summary>Ends an <see cref="Enter"/>; unmaps the segment if it was disposed meanwhile and this was the last user.</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public void Exit() => _use.Exit();

    /// <summary>
    /// Unmaps the segment (the memory is freed when no process maps it any more), or, while a thread is between
    /// <see cref="Enter"/> and <see cref="Exit"/>, as soon as the last one leaves. Using the object afterwards throws.
    /// </summary>
    public void Dispose() => TryDispose();

    /// <summary>Same as <see cref="Dispose"/>; false when it was disposed already (by another thread, say).</summary>
    public bool TryDispose()
    {
        lock (_gate)
        {
            if (_disposed)
                return false;
            Volatile.Write(ref _disposed, true);
            Volatile.Write(ref _address, 0);
        }
        _use.Close();
        return true;
    }

    /// <inheritdoc />
    public override string ToString() => _label;

    private byte* EnterAttaching()
    {
        try
        {
            return Attach();
        }
        catch
        {
            _use.Exit();
            throw;
        }
    }

    private void Release()
    {
        lock (_gate)
            Unmap();
    }
}
