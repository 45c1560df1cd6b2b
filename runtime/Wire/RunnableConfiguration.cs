using System.Reflection;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Threading.Channels;
using Puma.Runnables;

namespace Puma.Runtime.Wire;

/// <summary>
/// A runnable's configuration in a form that crosses a process boundary: its public instance properties that
/// have a public getter and a public setter or init accessor, as JSON, with its ports (properties whose type
/// is or derives from <see cref="ChannelReader{T}"/> or <see cref="ChannelWriter{T}"/>, as
/// <see cref="RunnablePort.TryGetPortType"/> decides) replaced by <see cref="PortBinding"/>s.
/// </summary>
/// <param name="Properties">A JSON object: property name to value, for every configuration property that is not a port.</param>
/// <param name="Ports">Property name to binding, for every port property.</param>
internal sealed record RunnableConfiguration(JsonElement Properties, IReadOnlyDictionary<string, PortBinding> Ports)
{
    /// <summary>The System.Text.Json options used for configuration values (reflection-based: the types are the user's).</summary>
    public static JsonSerializerOptions ValueOptions { get; } = new(JsonSerializerDefaults.General)
    {
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        WriteIndented = false,
    };

    /// <summary>
    /// Captures <paramref name="runnable"/>'s configuration. Every value is checked to survive a trip through
    /// System.Text.Json (serialize, deserialize, serialize again, compare); a value that does not, a type
    /// that cannot be rebuilt in a child, and a value that cannot be serialized at all throw
    /// <see cref="RunnablePlacementException"/> naming <c>Type.Property</c> and why.
    /// </summary>
    /// <param name="runnable">The runnable to capture.</param>
    /// <param name="bindPort">Called for each port property with its current value; returns what to attach in the child.</param>
    /// <param name="excludeProperty">Properties to skip (e.g. those declared on the Puma base class); null to keep all.</param>
    public static RunnableConfiguration Capture(
        object runnable,
        Func<PropertyInfo, object?, PortBinding> bindPort,
        Func<PropertyInfo, bool>? excludeProperty = null)
    {
        ArgumentNullException.ThrowIfNull(runnable);
        ArgumentNullException.ThrowIfNull(bindPort);
        var type = runnable.GetType();
        CheckType(type);

        var ports = new Dictionary<string, PortBinding>(StringComparer.Ordinal);
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            foreach (var property in ConfigurationProperties(type, excludeProperty))
            {
                var value = GetValue(type, property, runnable);
                if (RunnablePort.TryGetPortType(property.PropertyType, out _, out _))
                {
                    var binding = bindPort(property, value)
                        ?? throw Error(type, property, "the port binding callback returned null.");
                    ports.Add(property.Name, binding);
                    continue;
                }

                writer.WritePropertyName(property.Name);
                writer.WriteRawValue(SerializeChecked(type, property, value), skipInputValidation: true);
            }

            writer.WriteEndObject();
        }

        using var document = JsonDocument.Parse(buffer.WrittenMemory);
        return new RunnableConfiguration(document.RootElement.Clone(), ports);
    }

    /// <summary>
    /// Builds a new <paramref name="type"/> (public parameterless constructor) and sets its configuration
    /// properties, init-only and <c>required</c> ones included, from this configuration. Ports are set to what
    /// <paramref name="attachPort"/> returns for their binding and property type.
    /// </summary>
    public object Restore(Type type, Func<PortBinding, Type, object?> attachPort, Func<PropertyInfo, bool>? excludeProperty = null)
    {
        ArgumentNullException.ThrowIfNull(type);
        ArgumentNullException.ThrowIfNull(attachPort);
        CheckType(type);
        if (Properties.ValueKind != JsonValueKind.Object)
            throw new RunnablePlacementException(type.FullName!, null, $"the configuration is a JSON {Properties.ValueKind}, not an object.");

        object runnable;
        try
        {
            runnable = Activator.CreateInstance(type)!;
        }
        catch (TargetInvocationException e)
        {
            throw new RunnablePlacementException(type.FullName!, null, $"its constructor threw {e.InnerException?.GetType().Name}: {e.InnerException?.Message}", e.InnerException);
        }

        var known = new HashSet<string>(StringComparer.Ordinal);
        foreach (var property in ConfigurationProperties(type, excludeProperty))
        {
            known.Add(property.Name);
            object? value;
            if (Ports.TryGetValue(property.Name, out var binding))
            {
                try
                {
                    value = attachPort(binding, property.PropertyType);
                }
                catch (Exception e) when (e is not RunnablePlacementException)
                {
                    throw Error(type, property, $"attaching buffer '{binding.BufferName}' failed: {e.Message}", e);
                }
            }
            else if (Properties.TryGetProperty(property.Name, out var element))
            {
                try
                {
                    if (!JsonShortcuts.TryRead(element, property.PropertyType, out value))
                        value = element.Deserialize(property.PropertyType, ValueOptions);
                }
                catch (Exception e) when (e is JsonException or NotSupportedException or ArgumentException or InvalidOperationException)
                {
                    throw Error(type, property, $"its value {Shorten(element.GetRawText())} cannot be deserialized as {Describe(property.PropertyType)}: {e.Message}", e);
                }
            }
            else
            {
                continue;
            }

            try
            {
                property.SetValue(runnable, value);
            }
            catch (Exception e) when (e is TargetInvocationException or ArgumentException)
            {
                var cause = e.InnerException ?? e;
                throw Error(type, property, $"its setter threw {cause.GetType().Name}: {cause.Message}", cause);
            }
        }

        foreach (var property in Properties.EnumerateObject())
        {
            if (!known.Contains(property.Name))
                throw new RunnablePlacementException(type.FullName!, property.Name, "the configuration has a value for it, but the type has no such configuration property (different assembly versions in parent and child?).");
        }

        foreach (var port in Ports.Keys)
        {
            if (!known.Contains(port))
                throw new RunnablePlacementException(type.FullName!, port, "the configuration binds it as a port, but the type has no such port property.");
        }

        return runnable;
    }

    /// <summary>Restores a runnable of <paramref name="type"/> from <paramref name="configuration"/>; see <see cref="Restore(Type, Func{PortBinding, Type, object?}, Func{PropertyInfo, bool}?)"/>.</summary>
    public static object Restore(Type type, RunnableConfiguration configuration, Func<PortBinding, Type, object?> attachPort, Func<PropertyInfo, bool>? excludeProperty = null)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        return configuration.Restore(type, attachPort, excludeProperty);
    }

    /// <summary>
    /// The configuration properties of <paramref name="type"/>: public, instance, not indexers, with a public
    /// getter and a public setter or init accessor, minus <paramref name="excludeProperty"/>. Ordered by name.
    /// </summary>
    public static IEnumerable<PropertyInfo> ConfigurationProperties(Type type, Func<PropertyInfo, bool>? excludeProperty = null)
    {
        ArgumentNullException.ThrowIfNull(type);
        return type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.GetIndexParameters().Length == 0
                && p.GetMethod is { IsPublic: true }
                && p.SetMethod is { IsPublic: true }
                && (excludeProperty is null || !excludeProperty(p)))
            .OrderBy(p => p.Name, StringComparer.Ordinal);
    }

    /// <summary>Throws <see cref="RunnablePlacementException"/> when <paramref name="type"/> cannot be rebuilt in a child.</summary>
    public static void CheckType(Type type)
    {
        ArgumentNullException.ThrowIfNull(type);
        var name = type.FullName ?? type.Name;
        // Puma's own internal runnables (the map workers) are allowed: the child host shares Puma's assemblies.
        if (!type.IsVisible && type.Assembly != typeof(RunnableConfiguration).Assembly)
            throw new RunnablePlacementException(name, null, "the type is not public (a child process creates it by reflection from its assembly); make it and any enclosing types public.");

        if (type.IsAbstract || type.IsInterface)
            throw new RunnablePlacementException(name, null, "the type is abstract.");

        if (type.ContainsGenericParameters)
            throw new RunnablePlacementException(name, null, "the type is an open generic type.");

        if (!type.IsValueType && type.GetConstructor(BindingFlags.Public | BindingFlags.Instance, Type.EmptyTypes) is null)
            throw new RunnablePlacementException(name, null, "the type has no public parameterless constructor; the child creates it with one and then sets its properties.");
    }

    private static object? GetValue(Type type, PropertyInfo property, object runnable)
    {
        try
        {
            return property.GetValue(runnable);
        }
        catch (TargetInvocationException e)
        {
            throw Error(type, property, $"its getter threw {e.InnerException?.GetType().Name}: {e.InnerException?.Message}", e.InnerException);
        }
    }

    private static string SerializeChecked(Type type, PropertyInfo property, object? value)
    {
        var declared = property.PropertyType;
        if (WhyNotTransferable(declared) is { } why)
            throw Error(type, property, why);

        if (value is null)
            return "null";

        var actual = value.GetType();
        if (actual != declared && WhyNotTransferable(actual) is { } whyActual)
            throw Error(type, property, $"it holds a {Describe(actual)}: {whyActual}");

        string json;
        try
        {
            json = JsonSerializer.Serialize(value, declared, ValueOptions);
        }
        catch (Exception e) when (e is NotSupportedException or InvalidOperationException or JsonException or ArgumentException)
        {
            throw Error(type, property, $"its value of type {Describe(actual)} cannot be serialized by System.Text.Json: {e.Message}", e);
        }

        if (actual != declared && Nullable.GetUnderlyingType(declared) != actual)
        {
            string asActual;
            try
            {
                asActual = JsonSerializer.Serialize(value, actual, ValueOptions);
            }
            catch (Exception e) when (e is NotSupportedException or InvalidOperationException or JsonException or ArgumentException)
            {
                throw Error(type, property, $"its value of type {Describe(actual)} cannot be serialized by System.Text.Json: {e.Message}", e);
            }

            if (asActual != json)
                throw Error(type, property, $"it is declared as {Describe(declared)} but holds a {Describe(actual)}; only the declared type's members would reach the child ({Shorten(json)} instead of {Shorten(asActual)}). Declare the property with the concrete type.");
        }

        object? restored;
        try
        {
            restored = JsonSerializer.Deserialize(json, declared, ValueOptions);
        }
        catch (Exception e) when (e is NotSupportedException or InvalidOperationException or JsonException or ArgumentException)
        {
            throw Error(type, property, $"its value {Shorten(json)} cannot be deserialized back into {Describe(declared)}: {e.Message}", e);
        }

        if (restored is JsonElement or System.Text.Json.Nodes.JsonNode && value is not JsonElement and not System.Text.Json.Nodes.JsonNode)
            throw Error(type, property, $"it is declared as {Describe(declared)}, so its {Describe(actual)} value would come back as untyped JSON. Declare the property with the concrete type.");

        string again;
        try
        {
            again = JsonSerializer.Serialize(restored, declared, ValueOptions);
        }
        catch (Exception e) when (e is NotSupportedException or InvalidOperationException or JsonException or ArgumentException)
        {
            throw Error(type, property, $"its value does not survive a round trip through System.Text.Json: {e.Message}", e);
        }

        if (again != json)
            throw Error(type, property, $"its value does not survive a round trip through System.Text.Json: {Shorten(json)} came back as {Shorten(again)} (state without public setters, or a custom converter that loses data?).");

        return json;
    }

    private static string? WhyNotTransferable(Type t)
    {
        var underlying = Nullable.GetUnderlyingType(t) ?? t;
        if (underlying.IsPointer || underlying.IsByRef || underlying.IsFunctionPointer || underlying == typeof(IntPtr) || underlying == typeof(UIntPtr))
            return "its type is a pointer or handle, which means nothing in another process.";

        if (typeof(Delegate).IsAssignableFrom(underlying))
            return $"its type {Describe(underlying)} is a delegate; code cannot be sent to another process (use a command, or a configuration value the runnable maps to behaviour).";

        if (typeof(Stream).IsAssignableFrom(underlying))
            return $"its type {Describe(underlying)} is a Stream; streams cannot be sent to another process (pass a path, or use a buffer).";

        if (typeof(MemberInfo).IsAssignableFrom(underlying) || typeof(Assembly).IsAssignableFrom(underlying))
            return $"its type {Describe(underlying)} is a reflection object; pass a type or member name instead.";

        if (typeof(Task).IsAssignableFrom(underlying) || underlying == typeof(CancellationToken) || typeof(WaitHandle).IsAssignableFrom(underlying)
            || typeof(Thread).IsAssignableFrom(underlying) || typeof(System.Runtime.InteropServices.SafeHandle).IsAssignableFrom(underlying)
            || (underlying.IsGenericType && underlying.GetGenericTypeDefinition() == typeof(ValueTask<>)) || underlying == typeof(ValueTask))
        {
            return $"its type {Describe(underlying)} is bound to this process (a task, thread, handle or token).";
        }

        if (underlying.IsGenericType && underlying.GetGenericTypeDefinition() == typeof(Channel<>)
            || underlying.IsGenericType && underlying.GetGenericTypeDefinition() == typeof(Channel<,>))
        {
            return $"its type {Describe(underlying)} is a whole channel; declare the ports as ChannelReader<T> or ChannelWriter<T>.";
        }

        if (underlying.IsDefined(typeof(IsByRefLikeAttribute)))
            return $"its type {Describe(underlying)} is a ref struct.";

        return null;
    }

    private static RunnablePlacementException Error(Type type, PropertyInfo property, string reason, Exception? inner = null) =>
        new(type.FullName ?? type.Name, property.Name, reason, inner);

    private static string Describe(Type t)
    {
        if (!t.IsGenericType)
            return t.FullName ?? t.Name;

        var name = t.GetGenericTypeDefinition().FullName ?? t.Name;
        var tick = name.IndexOf('`', StringComparison.Ordinal);
        if (tick >= 0)
            name = name[..tick];

        return $"{name}<{string.Join(", ", t.GetGenericArguments().Select(Describe))}>";
    }

    private static string Shorten(string json) => json.Length <= 120 ? json : json[..117] + "...";
}
