using System.Reflection;
using System.Threading.Channels;
using Puma.Buffers;

namespace Puma.Runnables;

/// <summary>
/// A port of a runnable: a public property whose type is a <see cref="ChannelReader{T}"/> (an input)
/// or a <see cref="ChannelWriter{T}"/> (an output).
/// </summary>
/// <param name="Property">The property.</param>
/// <param name="IsInput">True for a reader (input), false for a writer (output).</param>
/// <param name="ElementType">The item type.</param>
/// <param name="Value">The end the property holds (null when not set).</param>
internal sealed record RunnablePort(PropertyInfo Property, bool IsInput, Type ElementType, object? Value)
{
    /// <summary>The Puma buffer end the port is bound to, or null for a plain channel or an unset port.</summary>
    public IBufferEnd? BufferEnd => Value as IBufferEnd;

    /// <summary>The property name.</summary>
    public string Name => Property.Name;

    /// <summary>
    /// Completes an output port's channel writer with <paramref name="error"/> (null: normally). Used for plain
    /// channels; a Puma buffer end (<see cref="BufferEnd"/>) is released through its buffer instead.
    /// </summary>
    /// <returns>False for an input, an unset port, or a writer that was already completed.</returns>
    public bool TryComplete(Exception? error) => !IsInput && Value is not null && PortElement.For(ElementType).TryComplete(Value, error);

    /// <summary>Finds the ports of a runnable, in declaration order.</summary>
    /// <param name="runnable">The runnable.</param>
    /// <returns>Its input and output ports.</returns>
    public static IReadOnlyList<RunnablePort> Discover(object runnable)
    {
        ArgumentNullException.ThrowIfNull(runnable);
        var ports = new List<RunnablePort>();
        foreach (var property in runnable.GetType().GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (property.GetIndexParameters().Length > 0 || property.GetMethod is null)
                continue;
            if (TryGetPortType(property.PropertyType, out var isInput, out var element))
                ports.Add(new RunnablePort(property, isInput, element, property.GetValue(runnable)));
        }
        return ports;
    }

    /// <summary>Tells whether <paramref name="type"/> is a channel end type, and which.</summary>
    /// <param name="type">The type to look at.</param>
    /// <param name="isInput">True for a reader type.</param>
    /// <param name="elementType">The item type.</param>
    /// <returns>True when the type is a ChannelReader or ChannelWriter (or derives from one).</returns>
    public static bool TryGetPortType(Type type, out bool isInput, out Type elementType)
    {
        for (var t = type; t is not null; t = t.BaseType)
        {
            if (!t.IsGenericType)
                continue;
            var definition = t.GetGenericTypeDefinition();
            if (definition == typeof(ChannelReader<>) || definition == typeof(ChannelWriter<>))
            {
                isInput = definition == typeof(ChannelReader<>);
                elementType = t.GetGenericArguments()[0];
                return true;
            }
        }
        isInput = false;
        elementType = typeof(void);
        return false;
    }
}
