namespace Puma.Logging;

/// <summary>
/// The portable stand-in for an enum scalar. The enum type itself is not shipped (the receiver may
/// not have it loaded, and loading types named on the wire is unsafe), so an enum arrives as this
/// value: its type's full name, its name text (<c>ToString()</c>, e.g. <c>"Red"</c> or
/// <c>"Read, Write"</c> for flags) and its numeric text (<c>ToString("D")</c>). It renders like the
/// original enum: the name with no quotes, or the number for the <c>D</c> format.
/// </summary>
/// <param name="TypeName">Full name of the original enum type.</param>
/// <param name="Name">The enum value's name text, as <see cref="Enum.ToString()"/> gave it.</param>
/// <param name="NumericValue">The enum value's number, as <c>ToString("D")</c> gave it.</param>
public sealed record RemoteEnumValue(string TypeName, string Name, string NumericValue) : IFormattable
{
    /// <summary>Captures an enum value.</summary>
    /// <param name="value">The enum value.</param>
    /// <returns>Its portable form.</returns>
    public static RemoteEnumValue From(Enum value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return new RemoteEnumValue(value.GetType().FullName ?? value.GetType().Name, value.ToString(), value.ToString("D"));
    }

    /// <summary>Returns <see cref="Name"/>, as the original enum would.</summary>
    /// <returns>The name text.</returns>
    public override string ToString() => Name;

    /// <summary>
    /// Formats like an enum: <c>D</c>/<c>d</c> give <see cref="NumericValue"/>; every other format
    /// (including <c>G</c>, <c>F</c> and <c>X</c>, which is not reproduced) gives <see cref="Name"/>.
    /// </summary>
    /// <param name="format">The format string.</param>
    /// <param name="formatProvider">Ignored.</param>
    /// <returns>The formatted text.</returns>
    public string ToString(string? format, IFormatProvider? formatProvider) =>
        format is "D" or "d" ? NumericValue : Name;
}
