namespace Puma.Runtime;

/// <summary>
/// A runnable cannot be placed in a child process: its type cannot be rebuilt there, or one of its
/// configuration properties cannot be carried across (the message names <c>Type.Property</c> and why).
/// </summary>
public sealed class RunnablePlacementException : Exception
{
    /// <summary>Creates the exception for <paramref name="runnableType"/> and, when the problem is one property, <paramref name="propertyName"/>.</summary>
    /// <param name="runnableType">Full name of the runnable type.</param>
    /// <param name="propertyName">The offending property, or null when the type itself is the problem.</param>
    /// <param name="reason">Why it cannot be placed.</param>
    /// <param name="innerException">The underlying error, if any.</param>
    public RunnablePlacementException(string runnableType, string? propertyName, string reason, Exception? innerException = null)
        : base(Format(runnableType, propertyName, reason), innerException)
    {
        RunnableType = runnableType;
        PropertyName = propertyName;
    }

    /// <summary>Full name of the runnable type.</summary>
    public string RunnableType { get; }

    /// <summary>The offending property, or null when the type itself cannot be placed.</summary>
    public string? PropertyName { get; }

    private static string Format(string type, string? property, string reason) =>
        property is null
            ? $"Runnable {type} cannot run in a child process: {reason}"
            : $"Runnable property {type}.{property} cannot be sent to a child process: {reason}";
}
