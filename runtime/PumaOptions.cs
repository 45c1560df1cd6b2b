using Serilog;

namespace Puma.Runtime;

/// <summary>Settings of a <see cref="PumaRuntime"/>.</summary>
public sealed class PumaOptions
{
    /// <summary>The logger every runnable's events go to (in any process). Defaults to Serilog's <c>Log.Logger</c>.</summary>
    public ILogger? Logger { get; init; }

    /// <summary>What happens when a runnable fails, unless its <c>Add</c> call names another policy. Default: stop all.</summary>
    public FailurePolicy FailurePolicy { get; init; } = FailurePolicy.StopAll;

    /// <summary>How long a graceful stop waits before it abandons (threads) or kills (processes) what is still running. Default 5 s.</summary>
    public TimeSpan StopTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>How many status reports the <see cref="PumaRuntime.Status"/> stream keeps unread before it drops the oldest. Default 4096.</summary>
    public int StatusCapacity { get; init; } = 4096;
}
