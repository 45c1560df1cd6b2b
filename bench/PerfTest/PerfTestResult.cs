namespace Puma.Bench.PerfTest;

/// <summary>The writer's side of one perf-test run.</summary>
/// <param name="Messages">Data messages committed within the run.</param>
/// <param name="Bytes">Their bytes.</param>
/// <param name="Seconds">The run's length: the duration, or longer when the last commit came later.</param>
/// <param name="Waits">Claims that found the ring full and had to wait for the slowest reader.</param>
/// <param name="WaitSeconds">Time spent in those waits.</param>
internal sealed record PerfTestWriterResult(long Messages, long Bytes, double Seconds, long Waits, double WaitSeconds);

/// <summary>One reader's side of a perf-test run.</summary>
/// <param name="Slot">The reader's broadcast slot (reader-N is slot N-1).</param>
/// <param name="Messages">Data messages received.</param>
/// <param name="Bytes">Their bytes.</param>
/// <param name="Seconds">From the writer's start to the end of the reader's last message (at least the duration).</param>
/// <param name="Lost">Sequence numbers never received; must be 0.</param>
/// <param name="Corrupt">Messages that failed the check (torn, wrong payload, duplicated); must be 0.</param>
internal sealed record PerfTestReaderResult(int Slot, long Messages, long Bytes, double Seconds, long Lost, long Corrupt);

/// <summary>A whole perf-test run: the writer, every reader, and the startup time of the reader processes.</summary>
internal sealed record PerfTestResult(PerfTestWriterResult Writer, IReadOnlyList<PerfTestReaderResult> Readers, double StartupSeconds);
