using Serilog.Events;

namespace Puma.Logging;

/// <summary>
/// Normalizes Serilog property values to the set the wire format carries: scalars of the supported
/// CLR types stay as they are (same instances when nothing changes), enums become
/// <see cref="RemoteEnumValue"/>, other scalar objects and unknown value kinds become
/// <see cref="RemoteObjectValue"/>.
/// </summary>
internal static class PortableValues
{
    public static bool IsWireScalar(object? value) => value switch
    {
        null or string or bool or int or long or double => true,
        sbyte or byte or short or ushort or uint or ulong or Int128 or UInt128 => true,
        float or decimal or char => true,
        DateTime or DateTimeOffset or TimeSpan or DateOnly or TimeOnly or Guid or Uri or byte[] => true,
        RemoteEnumValue or RemoteObjectValue => true,
        _ => false,
    };

    public static LogEventPropertyValue Normalize(LogEventPropertyValue value)
    {
        switch (value)
        {
            case ScalarValue scalar:
                return IsWireScalar(scalar.Value) ? scalar : new ScalarValue(ToWireScalar(scalar.Value!));

            case SequenceValue sequence:
                {
                    var elements = sequence.Elements;
                    LogEventPropertyValue[]? copy = null;
                    for (var i = 0; i < elements.Count; i++)
                    {
                        var n = Normalize(elements[i]);
                        if (copy is null && !ReferenceEquals(n, elements[i]))
                        {
                            copy = new LogEventPropertyValue[elements.Count];
                            for (var j = 0; j < i; j++)
                                copy[j] = elements[j];
                        }

                        if (copy is not null)
                            copy[i] = n;
                    }

                    return copy is null ? sequence : new SequenceValue(copy);
                }

            case StructureValue structure:
                {
                    var props = structure.Properties;
                    LogEventProperty[]? copy = null;
                    for (var i = 0; i < props.Count; i++)
                    {
                        var n = Normalize(props[i].Value);
                        if (copy is null && !ReferenceEquals(n, props[i].Value))
                        {
                            copy = new LogEventProperty[props.Count];
                            for (var j = 0; j < i; j++)
                                copy[j] = props[j];
                        }

                        if (copy is not null)
                            copy[i] = ReferenceEquals(n, props[i].Value) ? props[i] : new LogEventProperty(props[i].Name, n);
                    }

                    return copy is null ? structure : new StructureValue(copy, structure.TypeTag);
                }

            case DictionaryValue dictionary:
                {
                    var changed = false;
                    var copy = new List<KeyValuePair<ScalarValue, LogEventPropertyValue>>(dictionary.Elements.Count);
                    foreach (var pair in dictionary.Elements)
                    {
                        var key = (ScalarValue)Normalize(pair.Key);
                        var v = Normalize(pair.Value);
                        changed |= !ReferenceEquals(key, pair.Key) || !ReferenceEquals(v, pair.Value);
                        copy.Add(new(key, v));
                    }

                    return changed ? new DictionaryValue(copy) : dictionary;
                }

            default:
                return new ScalarValue(RemoteObjectValue.From(value));
        }
    }

    private static object ToWireScalar(object value) =>
        value is Enum e ? RemoteEnumValue.From(e) : RemoteObjectValue.From(value);
}
