namespace Puma.Runnables.Loop;

/// <summary>What the supervisor puts in a runnable's mailbox.</summary>
internal abstract record LoopMessage;

/// <summary>A command: handled in order with the other mailbox messages, before inputs.</summary>
internal sealed record CommandMessage(object Command) : LoopMessage;

/// <summary>A request whose reply (or exception) completes <see cref="Reply"/>.</summary>
internal sealed record RequestMessage(object Request, TaskCompletionSource<object?> Reply) : LoopMessage;
