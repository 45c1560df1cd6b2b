using Microsoft.Extensions.DependencyInjection;
using Puma.Runtime;

namespace Puma.Hosting;

/// <summary>
/// Declares what a hosted <see cref="PumaRuntime"/> runs: its buffers and runnables (<see cref="Configure"/>)
/// and its settings (<see cref="ConfigureOptions"/>). Handed to the callback of
/// <see cref="PumaServiceCollectionExtensions.AddPuma(IServiceCollection, Action{PumaBuilder})"/>.
/// </summary>
/// <remarks>
/// The graph is declared with the runtime's own API (<c>CreateBuffer</c>, <c>Add</c>), in a callback that
/// also receives the host's <see cref="IServiceProvider"/>, so runnables can be given services and
/// configuration. The callback runs once, when the <see cref="PumaRuntime"/> singleton is first resolved
/// (at the latest when the host starts); the runtime starts with the host:
/// <code>
/// services.AddPuma(puma => puma.Configure((runtime, services) =>
/// {
///     var raw = runtime.CreateBuffer&lt;int&gt;("raw", 64);
///     runtime.Add(new Producer { Output = raw.Writer });
///     runtime.Add(new Consumer { Input = raw.Reader, Totals = services.GetRequiredService&lt;Totals&gt;() });
/// }));
/// </code>
/// </remarks>
public sealed class PumaBuilder
{
    private readonly List<Action<PumaRuntime, IServiceProvider>> _graph = [];

    internal PumaBuilder(IServiceCollection services) => Services = services;

    /// <summary>The host's services, to register what the runnables need.</summary>
    public IServiceCollection Services { get; }

    /// <summary>
    /// Adds a callback that declares buffers and runnables on the runtime. Callbacks run in the order they were
    /// added, once, before the host starts the runtime.
    /// </summary>
    /// <param name="configure">Receives the runtime (not started yet) and the host's services.</param>
    /// <returns>This builder.</returns>
    public PumaBuilder Configure(Action<PumaRuntime, IServiceProvider> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        _graph.Add(configure);
        return this;
    }

    /// <summary>
    /// Sets options in code. They are defaults: values in the configuration section <c>"Puma"</c> override them.
    /// </summary>
    /// <param name="configure">Sets <see cref="PumaHostingOptions"/> properties.</param>
    /// <returns>This builder.</returns>
    public PumaBuilder ConfigureOptions(Action<PumaHostingOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        Services.Configure(configure);
        return this;
    }

    /// <summary>Runs the graph callbacks on a new runtime.</summary>
    internal void BuildGraph(PumaRuntime runtime, IServiceProvider services)
    {
        foreach (var configure in _graph)
            configure(runtime, services);
    }
}
