namespace Puma.Runtime;

/// <summary>A status value a runnable reported with <c>Context.ReportStatus</c>.</summary>
/// <param name="Runnable">The runnable's name.</param>
/// <param name="ProcessId">The process it runs in.</param>
/// <param name="Timestamp">When it was reported.</param>
/// <param name="Value">The value (from a child process: the value rebuilt from its JSON).</param>
public sealed record StatusReport(string Runnable, int ProcessId, DateTimeOffset Timestamp, object Value);
