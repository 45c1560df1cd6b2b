using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Puma.Runtime;

namespace Puma.Bench.Map;

/// <summary>The memory-bound kernel: x * 3, vectorized over whole chunks.</summary>
public sealed class Triple : MapKernel<float, float>
{
    /// <inheritdoc/>
    public override float Map(float value) => value * 3;

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public override void MapChunk(long start, ReadOnlySpan<float> input, Span<float> output)
    {
        var three = new Vector<float>(3f);
        var vectorsIn = MemoryMarshal.Cast<float, Vector<float>>(input);
        var vectorsOut = MemoryMarshal.Cast<float, Vector<float>>(output);
        for (var i = 0; i < vectorsIn.Length; i++)
            vectorsOut[i] = vectorsIn[i] * three;
        for (var i = vectorsIn.Length * Vector<float>.Count; i < input.Length; i++)
            output[i] = input[i] * 3;
    }
}

/// <summary>The compute-bound kernel: <see cref="Iterations"/> rounds of sin and cos per element.</summary>
public sealed class SinCos : MapKernel<float, float>
{
    /// <summary>Rounds per element.</summary>
    public int Iterations { get; init; } = 64;

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public override float Map(float value)
    {
        for (var i = 0; i < Iterations; i++)
            value = (MathF.Sin(value) * MathF.Cos(value)) + 0.5f;
        return value;
    }
}

/// <summary>A tiny kernel for the start-up and per-map overhead cases.</summary>
public sealed class Nothing : MapKernel<float, float>
{
    /// <inheritdoc/>
    public override float Map(float value) => value;
}
