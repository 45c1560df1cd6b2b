using Puma.Runnables;

namespace Puma.Runtime;

/// <summary>The metrics of one runnable, summed over its runs (restarts add to them).</summary>
/// <param name="Name">The runnable's name.</param>
/// <param name="Placement">Where it runs.</param>
/// <param name="ProcessId">The process of its current (or last) run; 0 before its first child is spawned.</param>
/// <param name="ItemsIn">Items its input handlers took.</param>
/// <param name="ItemsOut">
/// Items written to its output buffers through its ports. A runnable in a process has its own ends; runnables in
/// threads that write to the same buffer share the supervisor's writer end, and each shows that end's total.
/// </param>
/// <param name="HandlerTime">
/// Time its loop was busy serving its handlers: from waking up with work to waiting for work again, awaits inside
/// handlers included (a writer waiting for room is busy).
/// </param>
/// <param name="CpuPercent">
/// CPU used since the previous sample (at least 200 ms earlier), in percent of one core: its child process's CPU
/// time for a process runnable; for a thread runnable, which shares the supervisor's process, the share of the time
/// its loop was busy (see <paramref name="HandlerTime"/>: awaits inside handlers count, so this is an upper bound of
/// its CPU, not CPU time); 0 for a runnable on another node and for a child that has exited.
/// </param>
/// <param name="MemoryBytes">
/// Resident memory of the process it runs in (the supervisor's for a thread runnable); 0 when unknown: a runnable on
/// another node, a child that has exited.
/// </param>
/// <param name="Restarts">How many times its failure policy restarted it.</param>
public sealed record RunnableMetrics(
    string Name,
    Placement Placement,
    int ProcessId,
    long ItemsIn,
    long ItemsOut,
    TimeSpan HandlerTime,
    double CpuPercent,
    long MemoryBytes,
    int Restarts);
