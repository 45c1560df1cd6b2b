using System.Diagnostics;

namespace Puma.Runtime.Tests.Map;

/// <summary>x + 1: mapped twice, an element would show it.</summary>
public sealed class AddOne : MapKernel<int, int>
{
    public override int Map(int value) => value + 1;
}

/// <summary>The index times <see cref="Factor"/>, for range maps.</summary>
public sealed class ScaleIndex : MapKernel<long, long>
{
    public long Factor { get; init; } = 1;

    public override long Map(long value) => value * Factor;
}

/// <summary>x * 3 over whole chunks.</summary>
public sealed class TripleChunks : MapKernel<float, float>
{
    public override float Map(float value) => value * 3;

    public override void MapChunk(long start, ReadOnlySpan<float> input, Span<float> output)
    {
        for (var i = 0; i < input.Length; i++)
            output[i] = input[i] * 3;
    }
}

/// <summary>Throws at the element whose value is <see cref="FailAt"/>.</summary>
public sealed class ThrowAt : MapKernel<long, long>
{
    public long FailAt { get; init; }

    public override long Map(long value) => value == FailAt ? throw new InvalidOperationException($"element {value} is bad") : value;
}

/// <summary>A chunk kernel that throws in the chunk holding <see cref="FailAt"/>.</summary>
public sealed class ThrowInChunk : MapKernel<long, long>
{
    public long FailAt { get; init; }

    public override long Map(long value) => value;

    public override void MapChunk(long start, ReadOnlySpan<long> input, Span<long> output)
    {
        if (input.Contains(FailAt))
            throw new InvalidOperationException($"chunk at {start} is bad");
        input.CopyTo(output);
    }
}

/// <summary>The process id of the worker that maps each element.</summary>
public sealed class WhoMaps : MapKernel<long, long>
{
    public override long Map(long value) => Environment.ProcessId;
}

/// <summary>Sleeps <see cref="DelayMilliseconds"/> per element: a map that takes long enough to cancel.</summary>
public sealed class Sleepy : MapKernel<long, long>
{
    public int DelayMilliseconds { get; init; } = 20;

    public override long Map(long value)
    {
        Thread.Sleep(DelayMilliseconds);
        return value;
    }
}

/// <summary>Kills its own worker process (SIGKILL) at element <see cref="Index"/>; never kills <see cref="ParentPid"/>.</summary>
public sealed class DieAt : MapKernel<long, long>
{
    public long Index { get; init; }

    public int ParentPid { get; init; }

    public override long Map(long value)
    {
        if (value == Index && Environment.ProcessId != ParentPid)
            Process.GetCurrentProcess().Kill();
        return value;
    }
}

/// <summary>A kernel whose configuration holds code: it cannot reach a worker process.</summary>
public sealed class WithDelegate : MapKernel<int, int>
{
    public Func<int, int> Function { get; set; } = x => x;

    public override int Map(int value) => Function(value);
}

/// <summary>Looks each element up in a shared array it holds as a property (attached lazily by a worker process).</summary>
public sealed class LookUp : MapKernel<int, int>
{
    public required Puma.Buffers.SharedArray<int> Table { get; init; }

    public override int Map(int value) => Table[value % Table.Length];
}

/// <summary>A kernel that cannot be rebuilt in another process: its property's setter refuses any process but its parent.</summary>
public sealed class OnlyInParent : MapKernel<long, long>
{
    private readonly int _parent;

    public int Parent
    {
        get => _parent;
        init => _parent = value == Environment.ProcessId ? value : throw new InvalidOperationException($"built in process {Environment.ProcessId}, not {value}");
    }

    public override long Map(long value) => value;
}
