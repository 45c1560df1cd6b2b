namespace Puma.Runtime.Map;

/// <summary>The indices of a <see cref="MapRange"/>, written into a buffer of the worker's for each chunk.</summary>
internal sealed class RangeSpanSource(long first, int count, int workers) : MapSpanSource<long>
{
    private readonly long[]?[] _buffers = new long[]?[workers];

    public override int Length => count;

    public override Span<long> Slice(int worker, long start, int length)
    {
        var buffer = _buffers[worker];
        if (buffer is null || buffer.Length < length)
            _buffers[worker] = buffer = new long[length];
        var span = buffer.AsSpan(0, length);
        var value = first + start;
        for (var i = 0; i < span.Length; i++)
            span[i] = value + i;
        return span;
    }
}
