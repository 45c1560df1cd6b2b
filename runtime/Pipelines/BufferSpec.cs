using Puma.Buffers;

namespace Puma.Runtime.Pipelines;

/// <summary>
/// A buffer of a <see cref="PipelineSpec"/>: what <c>runtime.CreateBuffer&lt;T&gt;(Name, Capacity, Mode, CapacityBytes)</c>
/// creates when the spec is added to a runtime.
/// </summary>
public sealed record BufferSpec
{
    /// <summary>The buffer's name, unique in the pipeline; ports name it in <see cref="RunnableSpec.Ports"/>.</summary>
    public string Name { get; init; } = "";

    /// <summary>
    /// The item type: <c>Namespace.Type, Assembly</c> (no version; no assembly for core types such as
    /// <c>System.Int32</c> or <c>System.Byte[]</c>; the C# keywords <c>int</c>, <c>string</c>, ... work too).
    /// </summary>
    public string ItemType { get; init; } = "";

    /// <summary>The most items it holds before writers wait; at least 1.</summary>
    public int Capacity { get; init; }

    /// <summary>
    /// The size of the shared-memory ring when the buffer crosses processes: a multiple of 8 from 256 bytes to 16 GiB;
    /// null for the default (<see cref="Capacity"/> x 16 KiB, clamped to 4..256 MiB).
    /// </summary>
    public long? CapacityBytes { get; init; }

    /// <summary>How items reach the readers; <see cref="BufferMode.ManyToOne"/> by default.</summary>
    public BufferMode Mode { get; init; } = BufferMode.ManyToOne;

    /// <summary>A spec for a buffer of <typeparamref name="T"/> items.</summary>
    /// <typeparam name="T">The item type.</typeparam>
    /// <param name="name">Its name, unique in the pipeline.</param>
    /// <param name="capacity">The most items it holds before writers wait.</param>
    /// <param name="mode">How items reach the readers.</param>
    /// <param name="capacityBytes">The shared-memory ring's size when it crosses processes; null for the default.</param>
    /// <returns>The spec.</returns>
    public static BufferSpec For<T>(string name, int capacity, BufferMode mode = BufferMode.ManyToOne, long? capacityBytes = null) =>
        new() { Name = name, ItemType = TypeNames.Format(typeof(T)), Capacity = capacity, Mode = mode, CapacityBytes = capacityBytes };
}
