using System.Diagnostics;
using System.IO.MemoryMappedFiles;

namespace Puma.Bench.Transports.BareRing;

/// <summary>
/// The shared memory of one <see cref="BareRingTransport"/> direction: a file in /dev/shm mapped by both processes,
/// laid out as a header of three 128-byte lines (the write cursor, the read cursor, the flags) and then
/// <see cref="Slots"/> fixed-size slots of one message each. The parent creates it and deletes the file once the child
/// has mapped it (the mapping outlives the name), or on dispose if the child never came.
/// </summary>
internal sealed unsafe class BareRingSegment : IDisposable
{
    private const int Line = 128;
    private const int HeaderBytes = 4 * Line;
    private const int WriteCursorOffset = 0;
    private const int ReadCursorOffset = Line;
    private const int FlagsOffset = 2 * Line; // int closed (by the writer), int attached (by the child)

    private readonly MemoryMappedFile _file;
    private readonly MemoryMappedViewAccessor _view;
    private readonly byte* _base;
    private string? _path;

    private BareRingSegment(string path, int messageSize, bool create)
    {
        Path = path;
        MessageSize = messageSize;
        Slots = SlotsFor(messageSize);
        var bytes = HeaderBytes + (long)Slots * messageSize;
        _file = create
            ? MemoryMappedFile.CreateFromFile(path, FileMode.CreateNew, null, bytes, MemoryMappedFileAccess.ReadWrite)
            : MemoryMappedFile.CreateFromFile(path, FileMode.Open, null, 0, MemoryMappedFileAccess.ReadWrite);
        _view = _file.CreateViewAccessor(0, bytes, MemoryMappedFileAccess.ReadWrite);
        _view.SafeMemoryMappedViewHandle.AcquirePointer(ref _base);
        _base += _view.PointerOffset;
        _path = create ? path : null;
    }

    /// <summary>Creates a segment for messages of <paramref name="messageSize"/> bytes under a fresh name in /dev/shm.</summary>
    public static BareRingSegment Create(int messageSize) =>
        new($"/dev/shm/puma-bench-bare-{Environment.ProcessId}-{Guid.NewGuid():N}", messageSize, create: true);

    /// <summary>Maps the segment the parent created at <paramref name="path"/> and tells the parent so.</summary>
    public static BareRingSegment Attach(string path, int messageSize)
    {
        var segment = new BareRingSegment(path, messageSize, create: false);
        Volatile.Write(ref *segment.Attached, 1);
        return segment;
    }

    /// <summary>Slots of 4 MiB in all, and at least 4 (as the Puma rings of the suite).</summary>
    private static int SlotsFor(int messageSize) => Math.Max(4, (int)(Puma.Buffers.PumaBuffer.MinDefaultCapacityBytes / messageSize));

    /// <summary>The file's path (what the child needs).</summary>
    public string Path { get; }

    /// <summary>The size of every message (and slot).</summary>
    public int MessageSize { get; }

    /// <summary>How many messages the ring holds.</summary>
    public int Slots { get; }

    /// <summary>Messages between publications of a cursor: an eighth of the ring (at least 1), as Puma's ring publishes its batches.</summary>
    public int PublishEvery => Math.Max(1, Slots / 8);

    /// <summary>The first slot.</summary>
    public byte* Data => _base + HeaderBytes;

    /// <summary>Messages written (and published) so far.</summary>
    public long* WriteCursor => (long*)(_base + WriteCursorOffset);

    /// <summary>Messages read (and released) so far.</summary>
    public long* ReadCursor => (long*)(_base + ReadCursorOffset);

    /// <summary>Set by the writer once its last message is published.</summary>
    public int* Closed => (int*)(_base + FlagsOffset);

    private int* Attached => (int*)(_base + FlagsOffset + 4);

    /// <summary>Waits until the child mapped the segment, then deletes its file.</summary>
    public void WaitForChild(TimeSpan timeout, CancellationToken cancel)
    {
        var deadline = Stopwatch.GetTimestamp() + (long)(timeout.TotalSeconds * Stopwatch.Frequency);
        while (Volatile.Read(ref *Attached) == 0)
        {
            cancel.ThrowIfCancellationRequested();
            if (Stopwatch.GetTimestamp() > deadline) throw new TimeoutException($"the child did not map {_path} within {timeout}");
            Thread.Sleep(1);
        }
        DeleteFile();
    }

    private void DeleteFile()
    {
        if (_path is null) return;
        File.Delete(_path);
        _path = null;
    }

    /// <summary>Unmaps the segment (and deletes its file if the child never mapped it).</summary>
    public void Dispose()
    {
        DeleteFile();
        _view.SafeMemoryMappedViewHandle.ReleasePointer();
        _view.Dispose();
        _file.Dispose();
    }
}
