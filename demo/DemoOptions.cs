using Puma.Runnables;

namespace Puma.Demo;

/// <summary>The demo's command line: --count N --frame-size N --placement thread|process|mixed|cluster, --save FILE, --load FILE.</summary>
public sealed record DemoOptions(long Count, int FrameSize, string Placement)
{
    /// <summary>--monitor: show the runtime's metrics every second (a live view on a terminal, plain lines otherwise).</summary>
    public bool Monitor { get; init; }

    public const string Usage = "usage: dotnet run --project demo -c Release -- [--count 20000] [--frame-size 1024] [--placement mixed|thread|process|cluster] [--save FILE | --load FILE] [--monitor] (default mixed: the processor in a child process; cluster: producer and processor on two local node agents, the consumer in a process of the supervisor's node; --save writes the pipeline's spec as JSON and exits, --load runs a saved one)";

    /// <summary>--save FILE: write the pipeline's spec to FILE and exit without running it.</summary>
    public string? SavePath { get; init; }

    /// <summary>--load FILE: run the pipeline spec saved in FILE instead of building one from the other options.</summary>
    public string? LoadPath { get; init; }

    public static DemoOptions Parse(string[] args)
    {
        long count = 20_000;
        var frameSize = 1024;
        var placement = "mixed";
        string? save = null, load = null;
        var shaped = new List<string>();
        var monitor = false;
        for (var i = 0; i < args.Length; i++)
        {
            string Value() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value. {Usage}");
            switch (args[i])
            {
                case "--count": shaped.Add(args[i]); count = long.Parse(Value()); break;
                case "--frame-size": shaped.Add(args[i]); frameSize = int.Parse(Value()); break;
                case "--placement": shaped.Add(args[i]); placement = Value().ToLowerInvariant(); break;
                case "--save": save = Value(); break;
                case "--load": load = Value(); break;
                case "--monitor": monitor = true; break;
                case "-h" or "--help": throw new ArgumentException(Usage);
                default: throw new ArgumentException($"Unknown option '{args[i]}'. {Usage}");
            }
        }
        if (count < 1)
            throw new ArgumentException($"--count must be at least 1, got {count}.");
        if (frameSize < 1)
            throw new ArgumentException($"--frame-size must be at least 1, got {frameSize}.");
        if (placement is not ("thread" or "process" or "mixed" or "cluster"))
            throw new ArgumentException($"--placement must be thread, process, mixed or cluster, got '{placement}'.");
        if (save is not null && load is not null)
            throw new ArgumentException("--save and --load cannot be used together.");
        if (load is not null && shaped.Count > 0)
            throw new ArgumentException($"--load runs the pipeline saved in {load}: {string.Join(", ", shaped)} cannot be given with it (save the pipeline with them instead).");
        return new DemoOptions(count, frameSize, placement) { SavePath = save, LoadPath = load, Monitor = monitor };
    }

    /// <summary>Where each of producer, processor and consumer runs.</summary>
    public (Placement Producer, Placement Processor, Placement Consumer) Placements => Placement switch
    {
        "process" => (Runnables.Placement.Process, Runnables.Placement.Process, Runnables.Placement.Process),
        "cluster" => (Runnables.Placement.Node, Runnables.Placement.Node, Runnables.Placement.Process),
        "mixed" => (Runnables.Placement.Thread, Runnables.Placement.Process, Runnables.Placement.Thread),
        _ => (Runnables.Placement.Thread, Runnables.Placement.Thread, Runnables.Placement.Thread),
    };
}
