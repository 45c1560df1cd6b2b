using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Puma.Bench.Harness;
using Puma.Buffers;

namespace Puma.Bench.Shared;

/// <summary>
/// A worker of the shared suite in its own process: <c>child shared CASE OBJECT_JSON GO_JSON OPS ROUNDS MAX_SECONDS</c>.
/// Rebuilds the shared object and the start signal from their JSON (as a runnable's properties are), says "ready",
/// then for each round waits for the signal (a change wait), meets the other worker on a spin barrier, runs OPS
/// operations and reports its start and end timestamps and whether
/// its checksum was right.
/// </summary>
internal static class SharedWorker
{
    /// <summary>The child-mode name (<c>child shared ...</c>).</summary>
    public const string ChildName = "shared";

    /// <summary>The child's arguments after <c>child</c>.</summary>
    public static string[] Arguments(string caseName, string objectJson, string goJson, long ops, int rounds, double maxSeconds) =>
        [ChildName, caseName, objectJson, goJson, ops.ToString(CultureInfo.InvariantCulture), rounds.ToString(CultureInfo.InvariantCulture), maxSeconds.ToString("0", CultureInfo.InvariantCulture)];

    /// <summary>Runs the worker; returns the exit code (0, 2 on failure, 64 on bad usage).</summary>
    public static int Run(ReadOnlySpan<string> args) =>
        ChildGuard.Run(args, 6, "child shared CASE OBJECT_JSON GO_JSON OPS ROUNDS MAX_SECONDS", a =>
        {
            var caseName = a[0];
            var ops = long.Parse(a[3], CultureInfo.InvariantCulture);
            var rounds = int.Parse(a[4], CultureInfo.InvariantCulture);
            using var go = JsonSerializer.Deserialize<SharedValue<int>>(a[2])!;
            var work = SharedTargets.WorkFromJson(caseName, a[1], ops, out var attached);
            using (attached)
            {
                new ChildReport { Type = "ready" }.Send();
                for (var round = 0; round < rounds; round++)
                {
                    // The parent writes (round + 1) * Step; each worker adds one and spins until both have: they start together.
                    var signal = (round + 1) * SharedSpinStart.Step;
                    var seen = go.Read();
                    while (seen < signal)
                        seen = go.WaitForChangeAsync(seen).AsTask().GetAwaiter().GetResult();
                    SharedSpinStart.Meet(go, signal);
                    var started = Stopwatch.GetTimestamp();
                    var checksum = work();
                    var ended = Stopwatch.GetTimestamp();
                    new ChildReport
                    {
                        Type = "round",
                        Round = round,
                        Messages = ops,
                        Seconds = Stopwatch.GetElapsedTime(started, ended).TotalSeconds,
                        Started = started,
                        Ended = ended,
                        Corrupt = SharedTargets.ChecksumIsRight(caseName, ops, checksum) ? 0 : 1,
                    }.Send();
                }
            }
            return 0;
        });
}
