using System.Buffers;

namespace Puma.Buffers.Leases;

/// <summary>
/// Bytes rented from <see cref="ArrayPool{T}.Shared"/>, sliced to the exact length: the owners a
/// buffer of <see cref="IMemoryOwner{T}"/> items hands its readers. Dispose gives the array back
/// (once; later calls do nothing).
/// </summary>
internal sealed class PooledMemoryOwner : IMemoryOwner<byte>
{
    private byte[]? _array;
    private readonly int _length;

    /// <summary>Rents at least <paramref name="length"/> bytes; <see cref="Memory"/> is exactly that long.</summary>
    public PooledMemoryOwner(int length)
    {
        _array = ArrayPool<byte>.Shared.Rent(length);
        _length = length;
    }

    /// <inheritdoc />
    public Memory<byte> Memory => _array is { } array ? array.AsMemory(0, _length) : throw new ObjectDisposedException(nameof(PooledMemoryOwner));

    /// <inheritdoc />
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _array, null) is { } array)
            ArrayPool<byte>.Shared.Return(array);
    }
}
