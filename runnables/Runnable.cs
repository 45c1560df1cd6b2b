using Serilog;

namespace Puma.Runnables;

/// <summary>
/// The base class of every Puma actor. Public init/settable properties are the runnable's
/// configuration; properties of <see cref="System.Threading.Channels.ChannelReader{T}"/> type are
/// its inputs and of <see cref="System.Threading.Channels.ChannelWriter{T}"/> type its outputs.
/// </summary>
/// <remarks>
/// <para>The runtime drives one loop per runnable, so its handlers never run concurrently. Register
/// handlers in <see cref="Configure"/>; a source without inputs registers a produce step
/// (<see cref="Handlers.Produce"/>) or overrides <see cref="RunAsync"/>.</para>
/// <para>The loop ends when every source (inputs, produce step, <see cref="RunAsync"/>) has
/// finished, on Stop, or on an exception. A runnable with no source at all (commands and ticks
/// only) runs until it is stopped. When the loop ends the runtime completes the runnable's outputs,
/// with the error if it failed, so failure flows downstream.</para>
/// <para><see cref="RunAsync"/> runs on the runnable's exclusive scheduler, interleaved with its
/// handlers at its awaits: do not use <c>ConfigureAwait(false)</c> in it, or a command handler may
/// run at the same time as your code.</para>
/// </remarks>
public abstract class Runnable
{
    private string? _name;
    private ILogger? _log;
    private RunnableContext? _context;

    /// <summary>The runnable's name, unique in its runtime. Defaults to the class name.</summary>
    public string Name
    {
        get => _name ?? GetType().Name;
        init => _name = string.IsNullOrWhiteSpace(value)
            ? throw new ArgumentException("A runnable's name cannot be empty.", nameof(Name))
            : value;
    }

    /// <summary>A Serilog logger enriched with the runnable's name (<c>Runnable</c>) and <c>ProcessId</c>.</summary>
    protected ILogger Log => _log ?? Serilog.Log.Logger;

    /// <summary>The runnable's link to its supervisor: status reports, stop token, placement.</summary>
    /// <exception cref="InvalidOperationException">The runnable has not been started.</exception>
    protected RunnableContext Context =>
        _context ?? throw new InvalidOperationException($"Runnable '{Name}' has not been started: Context exists once the runtime runs it.");

    /// <summary>Registers the runnable's handlers. Called by the runtime each time the runnable starts.</summary>
    /// <param name="on">The handler registry.</param>
    protected virtual void Configure(Handlers on)
    {
    }

    /// <summary>
    /// The body of a loop-style runnable (a source, usually). The default does nothing and is not
    /// treated as a source. Commands are served between this method's awaits.
    /// </summary>
    /// <param name="cancellationToken">Cancelled when the runnable is asked to stop.</param>
    /// <returns>A task that ends when the runnable's work is done.</returns>
    protected virtual Task RunAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    internal bool OverridesRunAsync =>
        GetType().GetMethod(nameof(RunAsync), System.Reflection.BindingFlags.Instance | System.Reflection.BindingFlags.NonPublic, [typeof(CancellationToken)])
            ?.DeclaringType != typeof(Runnable);

    /// <summary>Gives a runnable rebuilt in a child process the name it has in the supervisor.</summary>
    internal void Rename(string name) => _name = name;

    internal void InvokeConfigure(Handlers on) => Configure(on);

    internal Task InvokeRunAsync(CancellationToken cancellationToken) => RunAsync(cancellationToken);

    internal void Attach(RunnableContext context, ILogger log)
    {
        _context = context;
        _log = log;
    }

    /// <inheritdoc />
    public override string ToString() => $"{GetType().Name} '{Name}'";
}
