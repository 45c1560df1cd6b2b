namespace Puma.Buffers.Codecs;

/// <summary>
/// Names the codec of a message type. Because it travels with the type, every process that moves
/// the type through a shared-memory buffer uses the same codec, without registration code in each
/// process. <see cref="CodecResolver.Register{T}"/> still wins over it in the process that calls it.
/// </summary>
/// <param name="codecType">A public type with a public parameterless constructor implementing <see cref="IBufferCodec{T}"/> for the annotated type.</param>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Struct, Inherited = false)]
public sealed class BufferCodecAttribute(Type codecType) : Attribute
{
    /// <summary>The codec type.</summary>
    public Type CodecType { get; } = codecType ?? throw new ArgumentNullException(nameof(codecType));
}
