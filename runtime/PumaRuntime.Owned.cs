using Puma.Runtime.Supervision;

namespace Puma.Runtime;

/// <summary>The shared objects a runtime created for its runnables (events, arrays, values): released with it.</summary>
public sealed partial class PumaRuntime
{
    private readonly List<IDisposable> _owned = new();

    /// <summary>
    /// Takes <paramref name="resource"/> into the runtime's keeping: it is disposed when the runtime is, after
    /// every runnable has ended (so no child still maps it), in the reverse order of creation.
    /// </summary>
    /// <exception cref="ObjectDisposedException">The runtime is disposed: the resource is disposed at once.</exception>
    internal T Own<T>(T resource)
        where T : IDisposable
    {
        lock (_owned)
        {
            if (!_disposed)
            {
                _owned.Add(resource);
                return resource;
            }
        }
        resource.Dispose();
        throw new ObjectDisposedException(nameof(PumaRuntime));
    }

    /// <summary>
    /// Disposes what the runtime owns, unless a thread runnable was abandoned by a stop (it ignored its token and may
    /// still be using a shared array's span): then the objects stay mapped until the process exits (a sealed memfd
    /// leaves nothing behind then), as unmapping them under a running thread would crash the process.
    /// </summary>
    private void ReleaseOwned()
    {
        if (_state?.Slots.FirstOrDefault(s => s.FinalState == RunnableState.Abandoned) is { } abandoned)
        {
            _log.Warning("Runnable {Abandoned} was abandoned and may still run in this process: the runtime's shared objects stay mapped until the process exits", abandoned.Name);
            return;
        }
        IDisposable[] owned;
        lock (_owned)
        {
            owned = [.. _owned];
            _owned.Clear();
        }
        for (var i = owned.Length - 1; i >= 0; i--)
        {
            try
            {
                owned[i].Dispose();
            }
            catch (Exception e)
            {
                _log.Warning(e, "Releasing {Resource} failed", owned[i]);
            }
        }
    }
}
