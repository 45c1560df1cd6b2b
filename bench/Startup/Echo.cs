using Puma.Runnables;

namespace Puma.Bench.Startup;

/// <summary>A request the <see cref="Echo"/> runnable answers with its process id.</summary>
public sealed record WhoAreYou;

/// <summary>
/// The smallest runnable that can answer: a request handler returning its pid, and a slow tick so
/// the loop has something to wait on. Public and parameterless, so it can be placed in a process.
/// </summary>
public sealed class Echo : Runnable
{
    /// <inheritdoc/>
    protected override void Configure(Handlers on) => on
        .Request<WhoAreYou, int>(_ => Environment.ProcessId)
        .Tick(TimeSpan.FromSeconds(10), () => { });
}
