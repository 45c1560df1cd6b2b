using System.Reflection;

namespace Puma.Runtime.Wire;

/// <summary>Payload of the <see cref="ControlMessageKind.Failed"/> frame: the exception that ended the child.</summary>
/// <param name="ExceptionType">Full name of the exception type.</param>
/// <param name="Message">The exception message.</param>
/// <param name="StackTrace">The child's stack trace text, if any.</param>
/// <param name="Text">The exception's ToString(): type, message, inner exceptions and stack traces.</param>
/// <param name="ProcessId">The child's process id.</param>
internal sealed record ChildFailedMessage(string ExceptionType, string Message, string? StackTrace, string Text, int ProcessId)
{
    /// <summary>Describes <paramref name="exception"/>, unwrapping reflection and single-exception aggregate wrappers.</summary>
    public static ChildFailedMessage From(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        while (exception is TargetInvocationException { InnerException: { } inner })
            exception = inner;

        if (exception is AggregateException { InnerExceptions.Count: 1 } aggregate)
            exception = aggregate.InnerExceptions[0];

        return new ChildFailedMessage(
            exception.GetType().FullName ?? exception.GetType().Name,
            exception.Message,
            exception.StackTrace,
            exception.ToString(),
            Environment.ProcessId);
    }
}
