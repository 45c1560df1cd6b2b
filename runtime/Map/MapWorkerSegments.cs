using Puma.Buffers;

namespace Puma.Runtime.Map;

/// <summary>
/// The shared arrays a worker process has mapped. A job's arrays stay mapped until a job with other arrays comes, so
/// that maps over the same arrays do not pay for a new mapping each time; arrays of earlier jobs are unmapped then
/// (their memory is freed once the parent and every worker let go). A new mapping is populated at once
/// (<see cref="PagePopulator"/>).
/// </summary>
internal sealed unsafe class MapWorkerSegments : IDisposable
{
    private readonly Dictionary<string, IDisposable> _attached = new(StringComparer.Ordinal);

    /// <summary>Unmaps every array but <paramref name="keep"/>.</summary>
    public void KeepOnly(params SharedOperand?[] keep)
    {
        foreach (var segment in _attached.Keys.ToArray())
        {
            if (!keep.Any(k => k?.Segment == segment))
            {
                _attached[segment].Dispose();
                _attached.Remove(segment);
            }
        }
    }

    /// <summary>The first element of <paramref name="operand"/>, mapping it first (its header is checked then).</summary>
    /// <exception cref="InvalidOperationException">The array's element size is not the kernel's.</exception>
    /// <exception cref="BufferCorruptedException">The segment's header does not describe this array.</exception>
    public T* Elements<T>(SharedOperand operand, string role)
        where T : unmanaged
    {
        if (operand.ElementSize != sizeof(T))
            throw new InvalidOperationException($"The map's {role} holds {operand.ElementType} elements of {operand.ElementSize} bytes, but the kernel's {role} type {typeof(T).Name} has {sizeof(T)} bytes.");
        if (!_attached.TryGetValue(operand.Segment, out var attached) || attached is not SharedArray<T>)
        {
            attached?.Dispose();
            var array = SharedArray<T>.Attaching(operand.Name, operand.Segment, operand.Lengths);
            _attached[operand.Segment] = attached = array;
            PagePopulator.Populate((byte*)array.Address, array.ByteLength);
        }
        return ((SharedArray<T>)attached).Address;
    }

    public void Dispose() => KeepOnly();
}
