using System.Text.Json;
using System.Text.Json.Serialization;

namespace Puma.Bench.Harness;

/// <summary>
/// One line a child writes on its stdout for the parent: a JSON object, one per line.
/// <see cref="Type"/> is "ready" (attached, before a measurement), "round" (a measured round or window), "done" or "error".
/// </summary>
internal sealed record ChildReport
{
    /// <summary>round, done or error.</summary>
    public required string Type { get; init; }

    /// <summary>The round (window) this report is for; round 0 is the warm-up.</summary>
    public int Round { get; init; }

    /// <summary>Messages counted in the window (or in total for "done").</summary>
    public long Messages { get; init; }

    /// <summary>Bytes counted in the window.</summary>
    public long Bytes { get; init; }

    /// <summary>Wall-clock seconds of the window.</summary>
    public double Seconds { get; init; }

    /// <summary>CPU seconds the child used in the window (idle case).</summary>
    public double CpuSeconds { get; init; }

    /// <summary>When the measured work began (a Stopwatch timestamp: comparable across processes on Linux).</summary>
    public long Started { get; init; }

    /// <summary>When the measured work ended (a Stopwatch timestamp).</summary>
    public long Ended { get; init; }

    /// <summary>Messages missing from the sequence the child received (perf-test, frames); must be 0.</summary>
    public long Lost { get; init; }

    /// <summary>Messages that failed verification (torn, duplicated, wrong payload); must be 0.</summary>
    public long Corrupt { get; init; }

    /// <summary>The error, for "error".</summary>
    public string? Message { get; init; }

    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingDefault,
    };

    /// <summary>The report as one JSON line.</summary>
    public string ToJson() => JsonSerializer.Serialize(this, Options);

    /// <summary>Parses a line; null when the line is not a report (stray output).</summary>
    public static ChildReport? TryParse(string line)
    {
        if (!line.StartsWith('{')) return null;
        try { return JsonSerializer.Deserialize<ChildReport>(line, Options); }
        catch (JsonException) { return null; }
    }

    /// <summary>Writes the report to stdout (autoflushed) for the parent.</summary>
    public void Send()
    {
        Console.Out.WriteLine(ToJson());
        Console.Out.Flush();
    }
}
