using System.Text.Json;
using Puma.Runnables;
using Puma.Runtime.Child;
using Puma.Runtime.Wire;

namespace Puma.Runtime.Map;

/// <summary>
/// A map worker process: an internal runnable placed in a child process (so the child host's logs, parent-death and
/// kill detection apply) that answers <see cref="MapJob"/> requests, one at a time, by rebuilding the job's kernel
/// and running the worker loop.
/// </summary>
internal sealed class MapWorkerRunnable : Runnable
{
    private readonly MapWorkerSegments _segments = new();
    private readonly Dictionary<(string Assembly, string Type), Type> _types = new();

    /// <inheritdoc />
    protected override void Configure(Handlers on) => on.Request<MapJob, MapJobReply>(Run);

    private MapJobReply Run(MapJob job)
    {
        var key = (job.KernelAssembly, job.KernelType);
        if (!_types.TryGetValue(key, out var type))
            _types[key] = type = ChildAssemblyLoader.LoadType(job.KernelAssembly, job.KernelType, job.ParentBaseDirectory);
        using var document = JsonDocument.Parse(job.KernelConfiguration);
        var configuration = new RunnableConfiguration(document.RootElement.Clone(), new Dictionary<string, PortBinding>());
        var kernel = configuration.Restore(type, static (binding, _) => throw new InvalidOperationException($"A kernel has no ports, but its configuration binds buffer '{binding.BufferName}'."));
        try
        {
            if (kernel is not IMapKernel runnable)
                throw new InvalidOperationException($"Type {type.FullName} is not a MapKernel<TIn, TOut>.");
            return runnable.RunJob(job, _segments);
        }
        finally
        {
            Release(kernel);
        }
    }

    /// <summary>
    /// Disposes what the rebuilt kernel's configuration made in this process (a shared array property is a copy that
    /// mapped the array on first use), so that a worker serving many maps does not keep every array it ever saw.
    /// </summary>
    private static void Release(object kernel)
    {
        foreach (var property in RunnableConfiguration.ConfigurationProperties(kernel.GetType()))
        {
            if (property.GetValue(kernel) is IDisposable disposable)
                disposable.Dispose();
        }
        (kernel as IDisposable)?.Dispose();
    }
}
