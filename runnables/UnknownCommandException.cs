namespace Puma.Runnables;

/// <summary>Thrown when a command or request is sent to a runnable that has no handler for its type.</summary>
public sealed class UnknownCommandException : InvalidOperationException
{
    /// <summary>Creates the exception naming the runnable, the message type and the types it does handle.</summary>
    /// <param name="runnableName">The runnable the message was sent to.</param>
    /// <param name="messageType">The message's type name.</param>
    /// <param name="known">The message types the runnable handles.</param>
    public UnknownCommandException(string runnableName, string messageType, IEnumerable<string> known)
        : base($"Runnable '{runnableName}' has no handler for {messageType}; it handles: {Describe(known)}.")
    {
        RunnableName = runnableName;
        MessageType = messageType;
    }

    /// <summary>The runnable the message was sent to.</summary>
    public string RunnableName { get; }

    /// <summary>The message type that has no handler.</summary>
    public string MessageType { get; }

    private static string Describe(IEnumerable<string> known)
    {
        var list = string.Join(", ", known);
        return list.Length == 0 ? "none" : list;
    }
}
