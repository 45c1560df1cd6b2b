using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Puma.Buffers.SharedMemory;

/// <summary>
/// Streamed commits: a record written whole from the writer's own copy of the item, with non-temporal stores that
/// go to memory without first taking the record's cache lines from the core that read them a lap ago.
/// </summary>
/// <remarks>
/// <para>
/// Why: a ring's lines move between two cores. An ordinary store first takes its line away from the reader's core,
/// where it still sits since that core read it a lap ago; when the two vCPUs are far apart (this VM, at times: a
/// shared line then costs ~340 ns instead of ~55) every 64-byte item waits for that and the ring falls to 7 M items/s,
/// a fifth of a Unix socket. A non-temporal store takes no line: the writer never waits, and the reader reads the
/// record from memory in a stream its prefetcher follows. A bare ring measured 7.5 -> 88 M 64-byte messages/s from
/// this change alone in that mode (bench `transports`, `bare-ring`).
/// </para>
/// <para>
/// When: only for the records of a batch (<see cref="BeginBatch"/>) after its head, on a ring with one writer
/// reference, on x64. Non-temporal stores are not ordered with later ordinary stores, so a record written this way
/// must stay out of readers' sight until a store fence: behind a batch's head every record is, until the head's tag
/// is stored when the batch is published, after the fence (<see cref="Publish"/>). The head itself is written the
/// ordinary way, so a lone item (a batch of one, a ping) reaches a reader from the writer's cache as before, without
/// the trip to memory. Two callers: the typed end's unmanaged-struct path streams the item from its own copy, and a
/// claim of up to <see cref="StageLimit"/> bytes is filled in a staging buffer and streamed on commit (the README,
/// "Streamed records").
/// </para>
/// </remarks>
public sealed unsafe partial class RingWriter
{
    /// <summary>The largest claim filled in the staging buffer: above it the copy would cost more than the stores save.</summary>
    internal const int StageLimit = 1024;

    /// <summary>Set by a streamed commit, cleared by the fence that publishes it.</summary>
    private bool _streamedUnfenced;

    /// <summary>Where a staged claim is filled (pinned, <see cref="StageLimit"/> bytes, made at the first staged claim).</summary>
    private byte[]? _stage;

    /// <summary>True while the pending claim's span is the staging buffer, not the ring.</summary>
    private bool _staged;

    /// <summary>The pending claim's bytes as memory when they are in the staging buffer (pinned: the memory stays put until the commit).</summary>
    internal bool TryGetStagedMemory(out Memory<byte> memory)
    {
        memory = _staged ? _stage.AsMemory(0, _claimLength) : default;
        return _staged;
    }

    /// <summary>The pending claim's span in the staging buffer.</summary>
    private Span<byte> Stage(int length)
    {
        _staged = true;
        return (_stage ??= GC.AllocateUninitializedArray<byte>(StageLimit, pinned: true)).AsSpan(0, length);
    }

    /// <summary>
    /// True while the next commit may be streamed (<see cref="CommitStreamed"/>): a batch is open and has its head, on a
    /// ring whose only writer is this end, on x64 (non-temporal 8-byte stores; little endian, as the single-writer short
    /// paths that write a header in one store).
    /// </summary>
    internal bool CanStream
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => _batchHead >= 0 && _batching && _singleWriter && _mask != 0 && Sse2.X64.IsSupported && BitConverter.IsLittleEndian;
    }

    /// <summary>
    /// Commits the pending claim (a data record of its claimed length) by writing its header and
    /// <paramref name="payload"/> with non-temporal stores; the claim's span is not used. Only while
    /// <see cref="CanStream"/>.
    /// </summary>
    /// <param name="payload">The record's bytes (exactly the claimed length of them).</param>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal void CommitStreamed(ref byte payload)
    {
        System.Diagnostics.Debug.Assert(CanStream, "streamed only behind the head of the batch being written");
        _staged = false; // a staged claim's bytes are the payload, or the caller's are (the typed end's struct)
        var position = _claimPosition;
        var length = _claimLength;
        var record = (ulong*)(_data + (position & _mask));
        var tag = (ulong)RingLayout.Tag(position); // behind the batch's head: out of sight until the batch is published
        var header = (uint)length | ((ulong)RingLayout.KindData << 32);
        var words = length >> 3;
        var target = record + 2;
        if (((nuint)record & 15) == 0 && (length & 15) == 0)
        {
            // 16-byte stores where the record allows them (a 64-byte item's 80-byte records always do): half the stores.
            Sse2.StoreAlignedNonTemporal((ulong*)record, Vector128.Create(tag, header));
            for (var i = 0; i < words; i += 2)
                Sse2.StoreAlignedNonTemporal((byte*)(target + i), Vector128.LoadUnsafe(ref Unsafe.Add(ref payload, i << 3)));
        }
        else
        {
            Sse2.X64.StoreNonTemporal(record, tag);
            Sse2.X64.StoreNonTemporal(record + 1, header);
            for (var i = 0; i < words; i++)
                Sse2.X64.StoreNonTemporal(target + i, Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref payload, i << 3)));
        }
        var rest = length & 7;
        if (rest != 0)
        {
            // The record is padded to 8 bytes: the last word carries the payload's last bytes and zeros.
            ulong last = 0;
            Unsafe.CopyBlockUnaligned(ref Unsafe.As<ulong, byte>(ref last), ref Unsafe.Add(ref payload, words << 3), (uint)rest);
            Sse2.X64.StoreNonTemporal(target + words, last);
        }
        _streamedUnfenced = true;
        _claimPosition = -1;
        _unfenced += RingLayout.RecordBytes(length);
        _tally.AddItem(length);
        PublishIfDue();
    }

    /// <summary>Commits a staged claim: streams the staging buffer's bytes (a call of its own, to keep <see cref="Commit"/> small where it is inlined).</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private void CommitStaged() => CommitStreamed(ref MemoryMarshal.GetArrayDataReference(_stage!));

    /// <summary>Makes every streamed record visible before what is stored next (the batch head's tag).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void FenceStreamed()
    {
        if (!_streamedUnfenced) return;
        Sse.StoreFence();
        _streamedUnfenced = false;
    }
}
