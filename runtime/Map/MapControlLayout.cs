using Puma.Buffers;

namespace Puma.Runtime.Map;

/// <summary>
/// The control block of a map: a header (magic, version, worker count, length, chunk size, chunk count), the claim
/// counter and the stop word on cache lines of their own, then one word per worker with the chunk it maps.
/// </summary>
/// <remarks>Offsets in bytes: magic 0, version 8, workers 12, length 16, chunk size 24, chunk count 32; next chunk 128; stop 256; worker slots from 384, 8 bytes each (the first index of the worker's chunk + 1, 0 between chunks).</remarks>
internal static unsafe class MapControlLayout
{
    /// <summary>"PUMAMAP1" as a little-endian word.</summary>
    public const ulong Magic = 0x3150414D414D5550;

    public const int Version = 1;
    public const int MagicOffset = 0;
    public const int VersionOffset = 8;
    public const int WorkersOffset = 12;
    public const int LengthOffset = 16;
    public const int ChunkSizeOffset = 24;
    public const int ChunkCountOffset = 32;
    public const int NextChunkOffset = 128;
    public const int StopOffset = 256;
    public const int SlotsOffset = 384;

    /// <summary>The bytes a control block for <paramref name="workers"/> workers takes.</summary>
    public static long SizeFor(int workers) => SlotsOffset + ((long)workers * sizeof(long));

    /// <summary>Writes the header of a new block.</summary>
    public static void Write(byte* block, MapPlan plan)
    {
        *(int*)(block + VersionOffset) = Version;
        *(int*)(block + WorkersOffset) = plan.Workers;
        *(long*)(block + LengthOffset) = plan.Length;
        *(int*)(block + ChunkSizeOffset) = plan.ChunkSize;
        *(long*)(block + ChunkCountOffset) = plan.ChunkCount;
        Volatile.Write(ref *(ulong*)(block + MagicOffset), Magic);
    }

    /// <summary>Reads and checks the header of a block of <paramref name="size"/> bytes made by another process.</summary>
    /// <exception cref="BufferCorruptedException">A field is out of range; the message names it, its value and the range.</exception>
    public static MapPlan Read(byte* block, long size, string name)
    {
        if (size < SlotsOffset)
            throw new BufferCorruptedException($"Map control block '{name}' is {size} bytes long, smaller than its header ({SlotsOffset} bytes).");
        var magic = Volatile.Read(ref *(ulong*)(block + MagicOffset));
        if (magic != Magic)
            throw new BufferCorruptedException($"Map control block '{name}' has magic 0x{magic:X16}, not 0x{Magic:X16}: it is not a map control block.");
        var version = *(int*)(block + VersionOffset);
        if (version != Version)
            throw new BufferCorruptedException($"Map control block '{name}' has layout version {version}; this process reads version {Version}.");
        var workers = *(int*)(block + WorkersOffset);
        if (workers is < 1 or > MapOptions.MaxWorkers || SizeFor(workers) > size)
            throw new BufferCorruptedException($"Map control block '{name}' says {workers} workers; it must be 1..{MapOptions.MaxWorkers} and fit in its {size} bytes.");
        var length = *(long*)(block + LengthOffset);
        if (length < 0)
            throw new BufferCorruptedException($"Map control block '{name}' says length {length}; it cannot be negative.");
        var chunk = *(int*)(block + ChunkSizeOffset);
        if (chunk < 1)
            throw new BufferCorruptedException($"Map control block '{name}' says chunk size {chunk}; it must be at least 1.");
        var chunks = *(long*)(block + ChunkCountOffset);
        if (chunks != (length + chunk - 1) / chunk)
            throw new BufferCorruptedException($"Map control block '{name}' says {chunks} chunks; {length} elements in chunks of {chunk} make {(length + chunk - 1) / chunk}.");
        return new MapPlan(MapContext.Processes, length, chunk, chunks, workers);
    }
}
