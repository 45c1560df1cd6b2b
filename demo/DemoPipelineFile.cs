using Puma.Runtime.Pipelines;

namespace Puma.Demo;

/// <summary>What the summary needs from a pipeline loaded with --load: the producer's frame count and size, and a label.</summary>
internal static class DemoPipelineFile
{
    /// <summary>The producer's Count and FrameSize in <paramref name="spec"/> (the command line's when it has no producer), and where it came from.</summary>
    public static (long Count, int FrameSize, string Placement) Describe(PipelineSpec spec, DemoOptions options)
    {
        var producer = spec.Runnables.FirstOrDefault(r => r.Name == "producer")?.Configuration;
        var count = producer?["Count"]?.GetValue<long>() ?? options.Count;
        var frameSize = producer?["FrameSize"]?.GetValue<int>() ?? options.FrameSize;
        return (count, frameSize, $"loaded from {options.LoadPath}");
    }
}
