using System.Runtime.CompilerServices;

namespace Puma.Buffers;

/// <summary>
/// Exact-length byte arrays that an in-process buffer's claims hand out and its leases give back, so
/// that large items claimed and leased in process do not allocate one large-object-heap array each.
/// </summary>
/// <remarks>
/// Safe because an array comes back only when (1) a claim of this buffer made it (marked, so an array
/// a writer passed to <c>TryWrite</c>, which the writer may still hold, is never taken), and (2) a
/// lease of it ended, which by the lease's contract means the reader is done with it; an item read
/// with <c>TryRead</c> is the reader's to keep and is never recycled. Broadcast buffers do not recycle
/// (their readers share one array). Arrays under <see cref="MinLength"/> bytes are left to the GC,
/// which handles small short-lived arrays well.
/// </remarks>
internal sealed class RecycledArrays
{
    /// <summary>The smallest array recycled: the large-object heap's threshold (85,000 bytes, less the array header).</summary>
    public const int MinLength = 85_000 - 24;

    private static readonly ConditionalWeakTable<PumaBuffer, RecycledArrays> ByBuffer = new();
    private static readonly object Claimed = new();
    private readonly ConditionalWeakTable<byte[], object> _claimed = new();
    private readonly Dictionary<int, Stack<byte[]>> _free = new();
    private readonly int _keepPerLength;

    private RecycledArrays(int keepPerLength) => _keepPerLength = keepPerLength;

    /// <summary>The arrays of <paramref name="buffer"/>: the same object for its writer and reader ends; null for a broadcast buffer.</summary>
    public static RecycledArrays? For(PumaBuffer buffer) =>
        buffer.Mode == BufferMode.Broadcast ? null : ByBuffer.GetValue(buffer, b => new RecycledArrays(Math.Min(b.Capacity, 64) + 2));

    /// <summary>An array of exactly <paramref name="length"/> bytes, uninitialized: a recycled one when there is one.</summary>
    public byte[] Rent(int length)
    {
        if (length < MinLength)
            return GC.AllocateUninitializedArray<byte>(length);
        byte[]? array = null;
        lock (_free)
        {
            if (_free.TryGetValue(length, out var stack))
                stack.TryPop(out array);
        }
        array ??= GC.AllocateUninitializedArray<byte>(length);
        _claimed.AddOrUpdate(array, Claimed);
        return array;
    }

    /// <summary>Takes <paramref name="array"/> back if a claim of this buffer made it; any other array is left alone.</summary>
    public void Return(byte[]? array)
    {
        if (array is null || array.Length < MinLength || !_claimed.Remove(array))
            return;
        lock (_free)
        {
            if (!_free.TryGetValue(array.Length, out var stack))
                _free[array.Length] = stack = new Stack<byte[]>();
            if (stack.Count < _keepPerLength)
                stack.Push(array);
        }
    }
}
