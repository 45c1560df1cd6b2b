using System.Runtime.InteropServices;
using Puma.Buffers.Leases;

namespace Puma.Buffers;

/// <summary>
/// One item read without a copy: its bytes, valid until <see cref="Dispose"/>. Get one from
/// <see cref="ILeasableReader.TryLease"/> (a <see cref="BufferReader{T}"/> or a shared-memory reader end).
/// </summary>
/// <remarks>
/// <para>Over shared memory the bytes are the record in the ring: no copy is made, and the record
/// stays claimed until <see cref="Dispose"/>. <b>A lease held blocks the ring's space behind it</b>:
/// writers cannot reuse that record's space (nor any after it, the ring being a ring) until the lease
/// is disposed, so dispose it as soon as the item is handled; keep an item longer by copying it or by
/// using a buffer of <see cref="System.Buffers.IMemoryOwner{T}"/> items. In process the bytes are the
/// item's own memory, handed over to the reader; on dispose an <see cref="System.Buffers.IMemoryOwner{T}"/>
/// item is disposed, and a large array that a claim of the same buffer made goes back to the buffer
/// for a later claim (so never keep or pass on <see cref="Memory"/> past the dispose, in any transport).</para>
/// <para>A struct rather than a <c>ref struct</c> so that an asynchronous handler can hold
/// <see cref="Memory"/> across its awaits. One lease per reader end at a time (except on the shared
/// reader end of an in-process <see cref="BufferMode.Competing"/> buffer, which the runnables sharing it
/// lease from at the same time); disposing twice, or disposing a default lease, does nothing. Using <see cref="Memory"/> or <see cref="Span"/> after
/// dispose reads bytes that may already belong to another item.</para>
/// <para>A null item (a null array or owner) is leased as zero bytes.</para>
/// </remarks>
public readonly struct ItemLease : IDisposable
{
    private readonly ILeaseOwner? _owner;
    private readonly long _token;
    private readonly HeldItem? _held;

    internal ItemLease(ILeaseOwner? owner, long token, ReadOnlyMemory<byte> memory, HeldItem? held = null)
    {
        _owner = owner;
        _token = token;
        Memory = memory;
        _held = held;
    }

    /// <summary>The item's bytes, valid until <see cref="Dispose"/>.</summary>
    public ReadOnlyMemory<byte> Memory { get; }

    /// <summary>The item's bytes as a span, valid until <see cref="Dispose"/>.</summary>
    public ReadOnlySpan<byte> Span => Memory.Span;

    /// <summary>The item's length in bytes.</summary>
    public int Length => Memory.Length;

    /// <summary>
    /// The item's bytes as unmanaged elements (a <see cref="MemoryMarshal.Cast{TFrom, TTo}(ReadOnlySpan{TFrom})"/>
    /// view, no copy): the elements of an array item, or the struct of a struct item.
    /// </summary>
    /// <typeparam name="TElement">The element type, usually the buffer's element or struct type.</typeparam>
    public ReadOnlySpan<TElement> As<TElement>() where TElement : unmanaged => MemoryMarshal.Cast<byte, TElement>(Span);

    /// <summary>Ends the lease: over shared memory the record is released and writers may reuse its space.</summary>
    public void Dispose() => _owner?.EndLease(_token, _held);
}
