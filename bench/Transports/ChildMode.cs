using System.Globalization;
using Puma.Bench.Harness;

namespace Puma.Bench.Transports;

/// <summary>
/// The child side of the transports suite: <c>child TRANSPORT CASE CONNECT MAX_SECONDS</c>.
/// Connects, runs the case's child part, prints its reports as JSON lines on stdout and exits 0;
/// on failure prints an "error" report and exits 2. It exits (3) when its stdin reaches end of
/// file, i.e. when the parent died, and (4) when it outlives MAX_SECONDS.
/// <c>child netmq-stage ...</c> runs a stage of the pipeline suite's NetMQ pipeline instead
/// (<see cref="Pipeline.NetMqStage"/>).
/// </summary>
internal static class ChildMode
{
    /// <summary>Runs the child; returns the exit code.</summary>
    public static int Run(ReadOnlySpan<string> args)
    {
        if (args.Length > 0 && args[0] == Pipeline.NetMqStage.ChildName) return Pipeline.NetMqStage.Run(args[1..]);
        return ChildGuard.Run(args, 4, "child TRANSPORT CASE CONNECT MAX_SECONDS", a =>
        {
            var transport = TransportCatalog.Get(a[0]);
            var @case = TransportCases.Get(a[1]);
            MessageFormat.Prepare(@case.MessageSize);
            IReadOnlyList<ChildReport> reports;
            using (var link = IBroadcastTransport.For(transport, @case) is { } broadcast
                ? broadcast.ConnectBroadcast(a[2], @case.MessageSize)
                : transport.Connect(a[2], @case.MessageSize))
            {
                reports = @case.RunChild(link);
            }

            foreach (var r in reports) r.Send();
            new ChildReport { Type = "done" }.Send();
            return 0;
        });
    }
}
