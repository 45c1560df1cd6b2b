namespace Puma.Buffers.SharedMemory;

// The header: written once by the creator, validated by every process that maps the ring.
public sealed unsafe partial class SharedMemoryRing
{
    private void InitializeHeader(SharedMemoryRingOptions options, int dataOffset)
    {
        *(int*)(_base + RingLayout.VersionOffset) = RingLayout.Version;
        *(int*)(_base + RingLayout.DataOffsetOffset) = dataOffset;
        *(long*)(_base + RingLayout.CapacityOffset) = options.CapacityBytes;
        *(int*)(_base + RingLayout.ModeOffset) = (int)options.Mode;
        *(int*)(_base + RingLayout.ReaderSlotsOffset) = options.Readers;
        *(int*)(_base + RingLayout.WriterReferencesOffset) = options.Writers;
        *(int*)(_base + RingLayout.CreatorPidOffset) = Environment.ProcessId;
        *(int*)(_base + RingLayout.WritersRemainingOffset) = options.Writers;
        for (var slot = 0; slot < options.Readers; slot++) *SlotClaimed(slot) = -1;
        Volatile.Write(ref *(ulong*)(_base + RingLayout.MagicOffset), RingLayout.Magic);
    }

    private void LoadHeader(long fileLength)
    {
        var magic = Volatile.Read(ref *(ulong*)(_base + RingLayout.MagicOffset));
        if (magic != RingLayout.Magic)
            throw new BufferCorruptedException($"Ring '{Name}': magic 0x{magic:X16} is not the Puma ring magic 0x{RingLayout.Magic:X16}.");
        var version = *(int*)(_base + RingLayout.VersionOffset);
        if (version != RingLayout.Version)
            throw new BufferCorruptedException($"Ring '{Name}': layout version {version} is not the supported version {RingLayout.Version}.");
        var mode = *(int*)(_base + RingLayout.ModeOffset);
        if (mode is < 0 or > (int)BufferMode.Competing)
            throw new BufferCorruptedException($"Ring '{Name}': mode {mode} is outside 0..{(int)BufferMode.Competing}.");
        var readers = *(int*)(_base + RingLayout.ReaderSlotsOffset);
        if (readers is < 1 or > RingLayout.MaxReaderSlots)
            throw new BufferCorruptedException($"Ring '{Name}': reader slot count {readers} is outside 1..{RingLayout.MaxReaderSlots}.");
        var writers = *(int*)(_base + RingLayout.WriterReferencesOffset);
        if (writers is < 1 or > RingLayout.MaxWriterReferences)
            throw new BufferCorruptedException($"Ring '{Name}': writer reference count {writers} is outside 1..{RingLayout.MaxWriterReferences}.");
        var dataOffset = *(int*)(_base + RingLayout.DataOffsetOffset);
        if (dataOffset != RingLayout.DataOffset(readers))
            throw new BufferCorruptedException($"Ring '{Name}': data offset {dataOffset} is not {RingLayout.DataOffset(readers)}, the offset for {readers} reader slot(s).");
        var capacity = *(long*)(_base + RingLayout.CapacityOffset);
        if (capacity < RingLayout.MinCapacityBytes || capacity > fileLength - dataOffset || (capacity & 7) != 0)
            throw new BufferCorruptedException($"Ring '{Name}': capacity {capacity} is outside {RingLayout.MinCapacityBytes}..{fileLength - dataOffset} (the segment's size after the header) or not a multiple of 8.");
        CapacityBytes = capacity;
        CapacityMask = (capacity & (capacity - 1)) == 0 ? capacity - 1 : 0;
        Mode = (BufferMode)mode;
        Readers = readers;
        Writers = writers;
        CreatorProcessId = *(int*)(_base + RingLayout.CreatorPidOffset);
        MaxMessageBytes = (int)Math.Min(int.MaxValue & ~7, ((capacity / 2) & ~7L) - RingLayout.RecordHeaderBytes);
        Data = _base + dataOffset;
        ValidateShared();
    }

    private static void ValidateOptions(SharedMemoryRingOptions options)
    {
        if (options.CapacityBytes < RingLayout.MinCapacityBytes || options.CapacityBytes > RingLayout.MaxCapacityBytes)
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.CapacityBytes,
                $"CapacityBytes {options.CapacityBytes} is outside {RingLayout.MinCapacityBytes}..{RingLayout.MaxCapacityBytes} bytes.");
        }

        if ((options.CapacityBytes & 7) != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.CapacityBytes,
                $"CapacityBytes {options.CapacityBytes} is not a multiple of 8.");
        }

        if (!Enum.IsDefined(options.Mode))
            throw new ArgumentOutOfRangeException(nameof(options), options.Mode, $"Mode {options.Mode} is not a BufferMode.");
        if (options.Readers is < 1 or > RingLayout.MaxReaderSlots)
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.Readers,
                $"Readers {options.Readers} is outside 1..{RingLayout.MaxReaderSlots}.");
        }

        if (options.Mode == BufferMode.ManyToOne && options.Readers != 1)
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.Readers,
                $"Readers {options.Readers} must be 1 for BufferMode.ManyToOne; use Broadcast or Competing for several readers.");
        }

        if (options.Writers is < 1 or > RingLayout.MaxWriterReferences)
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.Writers,
                $"Writers {options.Writers} is outside 1..{RingLayout.MaxWriterReferences}.");
        }
    }
}
