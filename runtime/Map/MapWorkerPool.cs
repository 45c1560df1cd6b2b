using Serilog;

namespace Puma.Runtime.Map;

/// <summary>
/// A runtime's map worker processes: started on the first map that needs them, leased to one map at a time and
/// returned after it, so the next map reuses them; a worker whose process ended is dropped and replaced on demand.
/// The runtime owns the pool: disposing it stops the workers (killing those that do not stop in time).
/// </summary>
internal sealed class MapWorkerPool(ILogger rootLogger, TimeSpan stopTimeout) : IDisposable
{
    private readonly object _gate = new();
    private readonly Stack<MapWorkerProcess> _idle = new();
    private readonly List<MapWorkerProcess> _all = new();
    private int _started;
    private bool _disposed;

    /// <summary>The process ids of the live workers, for tests and the bench.</summary>
    public IReadOnlyList<int> ProcessIds
    {
        get
        {
            lock (_gate)
                return _all.Where(w => w.IsAlive).Select(w => w.ProcessId).ToArray();
        }
    }

    /// <summary>Leases <paramref name="count"/> ready workers: idle ones first, new ones for the rest.</summary>
    /// <exception cref="ObjectDisposedException">The pool is disposed.</exception>
    public async Task<MapWorkerProcess[]> LeaseAsync(int count, CancellationToken cancellationToken)
    {
        var leased = new List<MapWorkerProcess>(count);
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            while (leased.Count < count && _idle.TryPop(out var idle))
            {
                if (idle.IsAlive)
                    leased.Add(idle);
                else
                    _all.Remove(idle);
            }
            while (leased.Count < count)
            {
                var worker = new MapWorkerProcess(++_started, rootLogger);
                _all.Add(worker);
                leased.Add(worker);
            }
        }

        try
        {
            await Task.WhenAll(leased.Select(w => w.WhenReadyAsync(cancellationToken).AsTask())).ConfigureAwait(false);
        }
        catch
        {
            Return(leased);
            throw;
        }
        return [.. leased];
    }

    /// <summary>Takes workers back after a map; those whose process ended are dropped.</summary>
    public void Return(IEnumerable<MapWorkerProcess> workers)
    {
        lock (_gate)
        {
            // Pushed in reverse, so the next lease pops them in the same order.
            foreach (var worker in workers.Reverse())
            {
                if (worker.IsAlive && !_disposed)
                    _idle.Push(worker);
                else if (!worker.IsAlive)
                    _all.Remove(worker);
            }
        }
    }

    /// <summary>Stops every worker, waits up to the stop timeout, then kills the ones still running and waits for them.</summary>
    public void Dispose()
    {
        MapWorkerProcess[] all;
        lock (_gate)
        {
            if (_disposed)
                return;
            _disposed = true;
            all = [.. _all];
            _all.Clear();
            _idle.Clear();
        }

        foreach (var worker in all)
            worker.Stop();
        var ended = Task.WhenAll(all.Select(w => w.Ended));
        if (!ended.Wait(stopTimeout))
        {
            Task.WhenAll(all.Where(w => w.IsAlive).Select(w => w.KillAsync().AsTask())).Wait(TimeSpan.FromSeconds(10));
        }
    }
}
