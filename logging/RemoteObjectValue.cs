using System.Globalization;

namespace Puma.Logging;

/// <summary>
/// The portable stand-in for a scalar of a type the wire format does not know (for example a value
/// kept as a scalar by a custom Serilog policy). It carries the original type's full name and the
/// text the original rendered to (<c>IFormattable.ToString(null, InvariantCulture)</c> or
/// <c>ToString()</c>), and renders as that text, so a message renders as before unless the template
/// applied a format string to the value (formats are not re-applied).
/// </summary>
/// <param name="TypeName">Full name of the original value's type.</param>
/// <param name="Text">The original value's text.</param>
public sealed record RemoteObjectValue(string TypeName, string Text)
{
    /// <summary>Captures any value as its type name and text.</summary>
    /// <param name="value">The value.</param>
    /// <returns>Its portable form.</returns>
    public static RemoteObjectValue From(object value)
    {
        ArgumentNullException.ThrowIfNull(value);
        string text;
        try
        {
            text = (value is IFormattable f ? f.ToString(null, CultureInfo.InvariantCulture) : value.ToString()) ?? string.Empty;
        }
        catch (Exception ex)
        {
            text = $"<{value.GetType().Name}.ToString() threw {ex.GetType().Name}>";
        }

        return new RemoteObjectValue(value.GetType().FullName ?? value.GetType().Name, text);
    }

    /// <summary>Returns <see cref="Text"/>.</summary>
    /// <returns>The original value's text.</returns>
    public override string ToString() => Text;
}
