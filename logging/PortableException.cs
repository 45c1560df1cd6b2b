using System.Text.Json.Serialization;

namespace Puma.Logging;

/// <summary>
/// The portable form of an <see cref="Exception"/>: what survives a trip between processes. Turned back
/// into an exception it becomes a <see cref="RemoteException"/>.
/// </summary>
[JsonConverter(typeof(PortableExceptionJsonConverter))]
internal sealed class PortableException
{
    private const int MaxDepth = 32;

    /// <summary>Creates a portable exception.</summary>
    /// <param name="type">Full name of the original exception type.</param>
    /// <param name="message">The original <see cref="Exception.Message"/>.</param>
    /// <param name="stackTrace">The original <see cref="Exception.StackTrace"/> text, if any.</param>
    /// <param name="text">The original <see cref="Exception.ToString()"/>; when <see langword="null"/> it is composed from the other parts.</param>
    /// <param name="hResult">The original <see cref="Exception.HResult"/>.</param>
    /// <param name="innerExceptions">The inner exceptions: the one <see cref="Exception.InnerException"/>, or every one of an <see cref="AggregateException"/>.</param>
    public PortableException(string type, string message, string? stackTrace, string? text, int hResult, IReadOnlyList<PortableException>? innerExceptions)
    {
        ArgumentNullException.ThrowIfNull(type);
        ArgumentNullException.ThrowIfNull(message);
        Type = type;
        Message = message;
        StackTrace = stackTrace;
        HResult = hResult;
        InnerExceptions = innerExceptions ?? Array.Empty<PortableException>();
        Text = text ?? Compose();
    }

    /// <summary>Full name of the original exception type, e.g. <c>System.InvalidOperationException</c>.</summary>
    public string Type { get; }

    /// <summary>The original exception's message.</summary>
    public string Message { get; }

    /// <summary>The original exception's stack trace text, or <see langword="null"/> if it was never thrown.</summary>
    public string? StackTrace { get; }

    /// <summary>The original exception's <see cref="Exception.ToString()"/>: type, message, inner exceptions and stack.</summary>
    public string Text { get; }

    /// <summary>The original exception's HResult.</summary>
    public int HResult { get; }

    /// <summary>
    /// Inner exceptions: empty, the single <see cref="Exception.InnerException"/>, or all
    /// <see cref="AggregateException.InnerExceptions"/> of an aggregate.
    /// </summary>
    public IReadOnlyList<PortableException> InnerExceptions { get; }

    /// <summary>
    /// Captures an exception and its inner exceptions (up to 32 levels deep). A
    /// <see cref="RemoteException"/> yields the portable form it was made from, so an exception
    /// relayed across several processes keeps its original type and text.
    /// </summary>
    /// <param name="exception">The exception.</param>
    /// <returns>Its portable form.</returns>
    public static PortableException FromException(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        return From(exception, 0);
    }

    /// <summary>Turns this portable form back into an exception.</summary>
    /// <returns>A <see cref="RemoteException"/> standing for the original.</returns>
    public RemoteException ToException() => new(this);

    private static PortableException From(Exception exception, int depth)
    {
        if (exception is RemoteException remote)
            return remote.Portable;

        var type = exception.GetType();
        var message = Safe(() => exception.Message) ?? string.Empty;
        var stack = Safe(() => exception.StackTrace);
        var text = Safe(exception.ToString);

        IReadOnlyList<PortableException> inner = Array.Empty<PortableException>();
        if (depth < MaxDepth)
        {
            if (exception is AggregateException aggregate && aggregate.InnerExceptions.Count > 0)
            {
                var list = new PortableException[aggregate.InnerExceptions.Count];
                for (var i = 0; i < list.Length; i++)
                    list[i] = From(aggregate.InnerExceptions[i], depth + 1);

                inner = list;
            }
            else if (exception.InnerException is { } single)
            {
                inner = new[] { From(single, depth + 1) };
            }
        }

        return new PortableException(type.FullName ?? type.Name, message, stack, text, exception.HResult, inner);
    }

    private static string? Safe(Func<string?> get)
    {
        try
        {
            return get();
        }
        catch (Exception ex)
        {
            return $"<{ex.GetType().Name} while reading exception: {ex.Message}>";
        }
    }

    private string Compose()
    {
        var text = Message.Length == 0 ? Type : Type + ": " + Message;
        foreach (var inner in InnerExceptions)
            text += Environment.NewLine + " ---> " + inner.Text + Environment.NewLine + "   --- End of inner exception stack trace ---";

        return StackTrace is null ? text : text + Environment.NewLine + StackTrace;
    }
}
