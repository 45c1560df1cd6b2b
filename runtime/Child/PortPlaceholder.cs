using System.Diagnostics.CodeAnalysis;
using System.Threading.Channels;
using Puma.Runtime.Wire;

namespace Puma.Runtime.Child;

/// <summary>Creates placeholders for <see cref="ChannelReader{T}"/> and <see cref="ChannelWriter{T}"/> properties.</summary>
internal static class PortPlaceholder
{
    /// <summary>A placeholder of <paramref name="propertyType"/> (exactly ChannelReader&lt;T&gt; or ChannelWriter&lt;T&gt;).</summary>
    public static object Create(PortBinding binding, Type propertyType)
    {
        if (propertyType.IsGenericType)
        {
            var definition = propertyType.GetGenericTypeDefinition();
            var arguments = propertyType.GetGenericArguments();
            if (definition == typeof(ChannelReader<>))
                return Activator.CreateInstance(typeof(PlaceholderReader<>).MakeGenericType(arguments), binding)!;

            if (definition == typeof(ChannelWriter<>))
                return Activator.CreateInstance(typeof(PlaceholderWriter<>).MakeGenericType(arguments), binding)!;
        }

        throw new NotSupportedException($"Ports of type {propertyType} cannot be attached; declare them as ChannelReader<T> or ChannelWriter<T>.");
    }

    private static NotSupportedException NotAttached(PortBinding binding) =>
        new($"Buffer '{binding.BufferName}' is not attached in this child process (the child host runs without a port attacher).");

    /// <summary>Reader placeholder.</summary>
    internal sealed class PlaceholderReader<T>(PortBinding binding) : ChannelReader<T>, IPortPlaceholder
    {
        /// <inheritdoc/>
        public PortBinding Binding { get; } = binding;

        /// <inheritdoc/>
        public override bool TryRead([MaybeNullWhen(false)] out T item) => throw NotAttached(Binding);

        /// <inheritdoc/>
        public override ValueTask<bool> WaitToReadAsync(CancellationToken cancellationToken = default) => throw NotAttached(Binding);
    }

    /// <summary>Writer placeholder.</summary>
    internal sealed class PlaceholderWriter<T>(PortBinding binding) : ChannelWriter<T>, IPortPlaceholder
    {
        /// <inheritdoc/>
        public PortBinding Binding { get; } = binding;

        /// <inheritdoc/>
        public override bool TryWrite(T item) => throw NotAttached(Binding);

        /// <inheritdoc/>
        public override ValueTask<bool> WaitToWriteAsync(CancellationToken cancellationToken = default) => throw NotAttached(Binding);
    }
}
