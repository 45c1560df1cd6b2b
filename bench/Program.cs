// Puma.Bench: benchmark CLI.
//   dotnet run --project bench -c Release -- SUITE [--json FILE] [--repeats N] [--quick] [--only A,B] [--cases X,Y]
//   dotnet run --project bench -c Release -- all --json out.json    (every suite, --quick, 3 repeats)
//   child mode (started by the transports suite): dotnet Puma.Bench.dll child TRANSPORT CASE CONNECT MAX_SECONDS
//   perf-test reader: dotnet Puma.Bench.dll child perf-test RING SLOT SLOT_BYTES BURN_MS VERIFY MAX_SECONDS
//   frames reader:    dotnet Puma.Bench.dll child frames RING SLOT MAX_SECONDS
//   shared worker (started by the shared suite): dotnet Puma.Bench.dll child shared CASE OBJECT_JSON GO_JSON OPS ROUNDS MAX_SECONDS
//   pipeline stage (started by the pipeline suite): dotnet Puma.Bench.dll child pipeline-stage ROLE IN OUT GO COUNT PAYLOAD_BYTES
using System.Diagnostics;
using Puma.Bench.All;
using Puma.Bench.Cluster;
using Puma.Bench.Control;
using Puma.Bench.Events;
using Puma.Bench.Frames;
using Puma.Bench.Harness;
using Puma.Bench.Map;
using Puma.Bench.PerfTest;
using Puma.Bench.PingPong;
using Puma.Bench.Pipeline;
using Puma.Bench.Shared;
using Puma.Bench.Startup;
using Puma.Bench.Transports;

ISuite[] suites = [];
// `all` runs every other suite of this array, so a suite listed here joins it automatically.
suites = [new TransportsSuite(), new PingPongSuite(), new PipelineSuite(), new PerfTestSuite(), new FramesSuite(), new StartupSuite(), new ControlSuite(), new EventsSuite(), new ClusterSuite(), new SharedSuite(), new MapSuite(), new AllSuite(() => suites)];

if (args.Length > 0 && args[0] == ControlSuite.FirstRuntimeChild) // the control suite's fresh process
    return ControlSuite.RunFirstRuntimeChild(Stopwatch.GetTimestamp());

if (args.Length > 0 && args[0] == "hello") // the startup suite's baseline: a bare .NET process
{
    Console.WriteLine("hello");
    return 0;
}

if (args.Length > 1 && args[0] == "child" && args[1] == SharedWorker.ChildName)
    return SharedWorker.Run(args.AsSpan(2));
if (args.Length > 1 && args[0] == "child" && args[1] == "pipeline-stage")
    return PipeStage.Run(args.AsSpan(2));
if (args.Length > 0 && args[0] == "child")
{
    var kind = args.Length > 1 ? args[1] : "";
    return kind == PerfTestReader.ChildName ? PerfTestReader.Run(args.AsSpan(2))
        : kind == FramesReader.ChildName ? FramesReader.Run(args.AsSpan(2))
        : ChildMode.Run(args.AsSpan(1));
}

var suite = args.Length > 0 ? suites.FirstOrDefault(s => s.Name.Equals(args[0], StringComparison.OrdinalIgnoreCase)) : null;
if (suite is null)
{
    Console.Error.WriteLine("usage: dotnet run --project bench -c Release -- SUITE [--json FILE] [--repeats N] [--quick] [--only NAMES] [--cases NAMES]");
    Console.Error.WriteLine("suites:");
    foreach (var s in suites) Console.Error.WriteLine($"  {s.Name,-12} {s.Description}");
    Console.Error.WriteLine("  --json FILE     write one record per measurement (median) as a JSON array");
    Console.Error.WriteLine("  --repeats N     measured repetitions, median reported (default 5)");
    Console.Error.WriteLine("  --quick         short rounds: a whole suite in under a minute");
    Console.Error.WriteLine("  --only NAMES    comma-separated transports / implementations");
    Console.Error.WriteLine("  --cases NAMES   comma-separated cases");
    return args.Length == 0 || args[0] is "-h" or "--help" ? 0 : 64;
}

CliOptions options;
try { options = CliOptions.Parse(args[1..]); }
catch (ArgumentException e)
{
    Console.Error.WriteLine(e.Message);
    return 64;
}
try
{
    if (suite is IConfigurableSuite configurable) configurable.Configure(options.SuiteArguments);
    else if (options.SuiteArguments.Count > 0) throw new ArgumentException($"unknown option '{options.SuiteArguments[0]}'");
}
catch (ArgumentException e)
{
    Console.Error.WriteLine(e.Message);
    return 64;
}

foreach (var line in MachineInfo.Describe()) Console.WriteLine(line);
Console.WriteLine();
var rows = suite.Run(options, Console.Out);
if (options.JsonPath is not null)
{
    JsonReport.Write(options.JsonPath, rows);
    Console.WriteLine($"wrote {rows.Count(r => r.Error is null)} records to {options.JsonPath}");
}
return rows.Any(r => r.Error is not null) ? 1 : 0;
