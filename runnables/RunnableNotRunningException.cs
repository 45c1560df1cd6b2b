namespace Puma.Runnables;

/// <summary>
/// Thrown when a command or request reaches a runnable that is not running, or when a runnable ends
/// (stops, fails or completes) before it answers a pending request. The same exception in every placement.
/// </summary>
/// <remarks>
/// It derives from <see cref="InvalidOperationException"/>, so code that caught that keeps working. Cancelling the
/// caller's own token still throws <see cref="OperationCanceledException"/>.
/// </remarks>
public sealed class RunnableNotRunningException : InvalidOperationException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="runnableName">The runnable.</param>
    /// <param name="message">What happened.</param>
    /// <param name="innerException">The cause, when there is one.</param>
    public RunnableNotRunningException(string runnableName, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        RunnableName = runnableName;
    }

    /// <summary>The runnable that was not running.</summary>
    public string RunnableName { get; }

    /// <summary>The runnable has ended and takes no more commands or requests.</summary>
    internal static RunnableNotRunningException Ended(string runnableName, Exception? innerException = null) =>
        new(runnableName, $"Runnable '{runnableName}' is not running: it takes no more commands or requests.", innerException);

    /// <summary>The runnable ended before it answered a request.</summary>
    internal static RunnableNotRunningException EndedBeforeAnswering(string runnableName, string requestType) =>
        new(runnableName, $"Runnable '{runnableName}' ended before answering {requestType}.");
}
