using System.Threading.Channels;
using Puma.Buffers;
using Puma.Buffers.Leases;
using Puma.Runnables.Loop;

namespace Puma.Runnables;

/// <summary>Leased inputs: handlers that receive an item's bytes without a copy.</summary>
public sealed partial class Handlers
{
    /// <summary>
    /// Handles each item of an input, in order, as its bytes on a lease valid during the call: over
    /// shared memory the bytes are the record in the ring (no copy, no allocation), in process the
    /// item's own memory. Batching, ordering, completion (<see cref="InputCompleted{T}(ChannelReader{T}, Action{Exception?})"/>)
    /// and errors are those of <see cref="Input{T}(ChannelReader{T}, Action{T}, int)"/>: a handler that
    /// throws ends its lease and fails the runnable.
    /// </summary>
    /// <remarks>
    /// <para>The item type must have a byte layout: <c>byte[]</c>, <see cref="ReadOnlyMemory{T}"/> or
    /// <see cref="System.Buffers.IMemoryOwner{T}"/> of bytes, an array of unmanaged structs (its
    /// elements' bytes: view them with <c>MemoryMarshal.Cast</c>), or an unmanaged struct.</para>
    /// <para>While the handler runs, the ring's space from this item on is not reusable by writers:
    /// keep handlers short, and copy what you keep (or use a buffer of <see cref="System.Buffers.IMemoryOwner{T}"/>
    /// items). To forward with one copy, claim the output item (<see cref="IClaimableWriter.TryClaim"/>),
    /// write into it from the input's bytes and commit.</para>
    /// <para>The reader must be a Puma port (a <see cref="BufferReader{T}"/>, or the shared-memory end
    /// a child process gives the runnable): any other <see cref="ChannelReader{T}"/> is refused here
    /// rather than read and copied behind the caller's back, which would hide the cost the handler was
    /// chosen to avoid.</para>
    /// </remarks>
    /// <typeparam name="T">The item type.</typeparam>
    /// <param name="reader">The input port.</param>
    /// <param name="handler">Called once per item with its bytes.</param>
    /// <param name="maxBatch">The most items of this input handled per turn of the loop (at least 1).</param>
    /// <returns>This registry.</returns>
    /// <exception cref="InvalidOperationException">The reader is not a Puma port, or <typeparamref name="T"/> has no byte layout (both named).</exception>
    public Handlers InputLeased<T>(ChannelReader<T> reader, LeasedItemHandler handler, int maxBatch = DefaultInputBatch)
    {
        ArgumentNullException.ThrowIfNull(handler);
        var leases = CheckLeasedInput(reader, maxBatch);
        Inputs.Add(new LeasedInputSource<T>(reader, leases, handler) { MaxBatch = maxBatch, HandlesSynchronously = true });
        return this;
    }

    /// <summary>
    /// Handles each item of an input, in order, as its bytes on a lease valid until the handler's task
    /// completes. See <see cref="InputLeased{T}(ChannelReader{T}, LeasedItemHandler, int)"/>; the ring's
    /// space stays held across the handler's awaits.
    /// </summary>
    /// <typeparam name="T">The item type.</typeparam>
    /// <param name="reader">The input port.</param>
    /// <param name="handler">Called once per item with its bytes; the token is cancelled on Stop.</param>
    /// <param name="maxBatch">The most items of this input handled per turn of the loop (at least 1).</param>
    /// <returns>This registry.</returns>
    /// <exception cref="InvalidOperationException">The reader is not a Puma port, or <typeparamref name="T"/> has no byte layout (both named).</exception>
    public Handlers InputLeased<T>(ChannelReader<T> reader, Func<ReadOnlyMemory<byte>, CancellationToken, ValueTask> handler, int maxBatch = DefaultInputBatch)
    {
        ArgumentNullException.ThrowIfNull(handler);
        var leases = CheckLeasedInput(reader, maxBatch);
        Inputs.Add(new AsyncLeasedInputSource<T>(reader, leases, handler) { MaxBatch = maxBatch });
        return this;
    }

    private ILeasableReader CheckLeasedInput<T>(ChannelReader<T> reader, int maxBatch)
    {
        if (maxBatch < 1)
            throw new ArgumentOutOfRangeException(nameof(maxBatch), maxBatch, $"Runnable '{_runnableName}': an input's maxBatch must be at least 1.");
        if (reader is null)
            throw new ArgumentNullException(nameof(reader), $"Runnable '{_runnableName}' registered a leased input handler for a null reader: is the input port set?");
        if (FindInput(reader) is not null)
            throw new InvalidOperationException($"Runnable '{_runnableName}' registered two handlers for the same input ({reader}).");
        if (ItemLayout<T>.Kind == ItemLayoutKind.Unsupported)
            throw new InvalidOperationException($"Runnable '{_runnableName}': a leased input needs items with a byte layout. {ItemLayout<T>.Unsupported("lease").Message}");
        return reader as ILeasableReader
            ?? throw new InvalidOperationException(
                $"Runnable '{_runnableName}': a leased input reads a Puma buffer's port (BufferReader<T>), not a {reader.GetType().Name}; use Input for other channels.");
    }
}
