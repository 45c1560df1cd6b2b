using Puma.Buffers;

namespace Puma.Runtime.Map;

/// <summary>
/// The shared arrays a worker process has mapped. A job's arrays stay mapped until a job with other arrays comes, so
/// that maps over the same arrays do not pay the page faults of a new mapping each time; arrays of earlier jobs are
/// unmapped then (their memory is freed once the parent and every worker let go).
/// </summary>
internal sealed unsafe class MapWorkerSegments : IDisposable
{
    private readonly Dictionary<string, AttachedSegment> _attached = new(StringComparer.Ordinal);

    /// <summary>Unmaps every segment but <paramref name="keep"/>'s.</summary>
    public void KeepOnly(params SharedOperand?[] keep)
    {
        foreach (var name in _attached.Keys.ToArray())
        {
            if (!keep.Any(k => k?.Segment == name))
            {
                _attached[name].Dispose();
                _attached.Remove(name);
            }
        }
    }

    /// <summary>The first element of <paramref name="operand"/>, checked to lie within its segment with elements of <paramref name="elementSize"/> bytes.</summary>
    /// <exception cref="BufferCorruptedException">The operand does not fit its segment, or its element size is not the kernel's.</exception>
    public byte* Elements(SharedOperand operand, int elementSize, string role)
    {
        if (operand.ElementSize != elementSize)
            throw new InvalidOperationException($"The map's {role} holds {operand.ElementType} elements of {operand.ElementSize} bytes, but the kernel's {role} type has {elementSize} bytes.");
        if (!_attached.TryGetValue(operand.Segment, out var segment))
            _attached[operand.Segment] = segment = new AttachedSegment(operand.Segment);
        var end = operand.Offset + ((long)operand.Length * elementSize);
        if (operand.Offset < 0 || operand.Length < 0 || end > segment.Length)
            throw new BufferCorruptedException($"The map's {role} says {operand.Length} elements of {elementSize} bytes at offset {operand.Offset}, past the end of its {segment.Length}-byte segment '{operand.Segment}'.");
        return segment.Base + operand.Offset;
    }

    public void Dispose() => KeepOnly();
}
