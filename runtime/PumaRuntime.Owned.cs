using Puma.Runtime.Supervision;

namespace Puma.Runtime;

/// <summary>The shared objects a runtime created for its runnables (events, arrays, values): released with it.</summary>
public sealed partial class PumaRuntime
{
    private readonly List<(IDisposable Resource, bool MapsMemory)> _owned = new();

    /// <summary>
    /// Takes <paramref name="resource"/> into the runtime's keeping: it is disposed when the runtime is, after
    /// every runnable has ended (so no child still maps it), in the reverse order of creation.
    /// </summary>
    /// <param name="resource">What to dispose with the runtime.</param>
    /// <param name="mapsMemory">
    /// True when disposing it unmaps memory a runnable may still touch (a shared array's span): such resources are
    /// kept when a thread runnable was abandoned (see <see cref="ReleaseOwned"/>); the others are always disposed.
    /// </param>
    /// <exception cref="ObjectDisposedException">The runtime is disposed: the resource is disposed at once.</exception>
    internal T Own<T>(T resource, bool mapsMemory = true)
        where T : IDisposable
    {
        lock (_owned)
        {
            if (!_disposed)
            {
                _owned.Add((resource, mapsMemory));
                return resource;
            }
        }
        resource.Dispose();
        throw new ObjectDisposedException(nameof(PumaRuntime));
    }

    /// <summary>
    /// Disposes what the runtime owns, in the reverse order of creation. When a stop abandoned a thread runnable (it
    /// ignored its token and may still be using a shared array's span), what maps memory stays mapped until the
    /// process exits (a sealed memfd leaves nothing behind then), as unmapping it under a running thread would crash
    /// the process; the rest (worker processes) is released as usual.
    /// </summary>
    private void ReleaseOwned()
    {
        var abandoned = _state?.Slots.FirstOrDefault(s => s.FinalState == RunnableState.Abandoned);
        if (abandoned is not null)
            _log.Warning("Runnable {Abandoned} was abandoned and may still run in this process: the runtime's shared memory stays mapped until the process exits", abandoned.Name);
        (IDisposable Resource, bool MapsMemory)[] owned;
        lock (_owned)
        {
            owned = [.. _owned];
            _owned.Clear();
        }
        for (var i = owned.Length - 1; i >= 0; i--)
        {
            if (abandoned is not null && owned[i].MapsMemory)
                continue;
            try
            {
                owned[i].Resource.Dispose();
            }
            catch (Exception e)
            {
                _log.Warning(e, "Releasing {Resource} failed", owned[i].Resource);
            }
        }
    }
}
