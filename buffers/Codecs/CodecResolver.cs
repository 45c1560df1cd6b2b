using System.Buffers;
using System.Collections.Concurrent;
using System.Runtime.CompilerServices;

namespace Puma.Buffers.Codecs;

/// <summary>
/// Picks the codec for an item type: a registered one first, then the one named by the type's
/// <see cref="BufferCodecAttribute"/>; then raw bytes for
/// <c>byte[]</c>, <see cref="ReadOnlyMemory{T}"/> of bytes and <c>string</c>; pooled copies for
/// <see cref="IMemoryOwner{T}"/> of bytes (<see cref="MemoryOwnerCodec"/>); raw copies for
/// unmanaged structs and arrays of them; System.Text.Json for anything else.
/// </summary>
public static class CodecResolver
{
    private static readonly ConcurrentDictionary<Type, object> Registered = new();

    /// <summary>Makes <paramref name="codec"/> the codec for <typeparamref name="T"/> in this process.</summary>
    public static void Register<T>(IBufferCodec<T> codec)
    {
        ArgumentNullException.ThrowIfNull(codec);
        Registered[typeof(T)] = codec;
    }

    /// <summary>The codec for <typeparamref name="T"/>.</summary>
    public static IBufferCodec<T> Resolve<T>()
    {
        if (Registered.TryGetValue(typeof(T), out var registered)) return (IBufferCodec<T>)registered;
        return Cache<T>.Codec;
    }

    private static class Cache<T>
    {
        public static readonly IBufferCodec<T> Codec = Create();

        private static IBufferCodec<T> Create()
        {
            var type = typeof(T);
            if (type.GetCustomAttributes(typeof(BufferCodecAttribute), inherit: false) is [BufferCodecAttribute attribute])
            {
                return Activator.CreateInstance(attribute.CodecType) as IBufferCodec<T>
                    ?? throw new InvalidOperationException($"[BufferCodec({attribute.CodecType.Name})] on {type.Name}: the codec must implement IBufferCodec<{type.Name}>.");
            }
            if (type == typeof(byte[])) return (IBufferCodec<T>)(object)new ByteArrayCodec();
            if (type == typeof(ReadOnlyMemory<byte>)) return (IBufferCodec<T>)(object)new ReadOnlyMemoryCodec();
            if (type == typeof(string)) return (IBufferCodec<T>)(object)new StringCodec();
            if (type == typeof(IMemoryOwner<byte>)) return (IBufferCodec<T>)(object)new MemoryOwnerCodec();
            if (type.IsValueType && !type.IsGenericTypeDefinition && !RuntimeHelpers.IsReferenceOrContainsReferences<T>() && !type.IsByRefLike)
                return (IBufferCodec<T>)Activator.CreateInstance(typeof(UnmanagedCodec<>).MakeGenericType(type))!;
            if (type.IsArray && type.GetArrayRank() == 1 && type.GetElementType() is { IsValueType: true } element && IsUnmanaged(element))
                return (IBufferCodec<T>)Activator.CreateInstance(typeof(UnmanagedArrayCodec<>).MakeGenericType(element))!;
            return new JsonCodec<T>();
        }

        private static bool IsUnmanaged(Type element) =>
            !(bool)typeof(RuntimeHelpers).GetMethod(nameof(RuntimeHelpers.IsReferenceOrContainsReferences))!
                .MakeGenericMethod(element).Invoke(null, null)!;
    }
}
