namespace Puma.Hosting;

/// <summary>How a hosted runtime ended.</summary>
public enum PumaRunEnd
{
    /// <summary>Every runnable ended on its own, none failed.</summary>
    Completed,

    /// <summary>The host stopped (Ctrl+C, SIGTERM, <c>StopApplication</c>) and stopped the runtime with it; none failed.</summary>
    StoppedWithHost,

    /// <summary>A runnable failed: the runtime's <c>WaitAsync</c> threw. The host stops with exit code 1.</summary>
    Failed,
}
