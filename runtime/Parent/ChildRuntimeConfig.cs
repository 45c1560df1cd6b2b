using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Puma.Runtime.Parent;

/// <summary>
/// The runtimeconfig.json a child starts with: the parent's (or the host's own), with EventSource off unless the
/// application chose otherwise (<see cref="EventSourceSwitch"/>), written beside the child's control socket.
/// </summary>
/// <remarks>
/// <para>
/// <b>EventSource off (<c>System.Diagnostics.Tracing.EventSource.IsSupported = false</c>).</b> The first
/// <c>EventSource</c> of a process (the socket library's telemetry, when the child connects its control channel)
/// sets up the runtime's event tracing: 9-10 ms of a child's start on the 2-core machine, for sources nobody listens
/// to in a child (Puma counts a child's metrics in shared memory, read by the supervisor). The setting is an
/// AppContext switch read once at start-up, so it can only be given in the runtimeconfig, not set by the child.
/// Without EventSource, tools that listen to a child's own event sources (<c>dotnet-trace</c>,
/// <c>dotnet-counters</c> pointed at a child's pid) see none of them; an application that needs them sets
/// <c>&lt;EventSourceSupport&gt;true&lt;/EventSourceSupport&gt;</c> in its project, which writes the switch
/// into its runtimeconfig, and children keep what the application chose.
/// </para>
/// <para>
/// The file is derived once per source file (and its last write) and process, and written into the child's private
/// temporary directory, which is deleted as soon as the child has connected (the .NET host reads it before the runtime
/// starts). A source that cannot be read or parsed is passed on unchanged.
/// </para>
/// </remarks>
internal static class ChildRuntimeConfig
{
    /// <summary>The AppContext switch a child gets as false unless its source runtimeconfig sets it.</summary>
    public const string EventSourceSwitch = "System.Diagnostics.Tracing.EventSource.IsSupported";

    private static readonly ConcurrentDictionary<(string Path, DateTime Written), string?> Cache = new();

    /// <summary>
    /// Writes the child's runtimeconfig derived from <paramref name="source"/> into <paramref name="directory"/> and
    /// returns its path; returns <paramref name="source"/> itself when nothing is to be added or it cannot be read.
    /// </summary>
    public static string WriteFor(string source, string directory)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(directory);
        if (Derived(source) is not { } text)
            return source;

        var path = Path.Combine(directory, "child.runtimeconfig.json");
        File.WriteAllText(path, text);
        // The host reads <name>.runtimeconfig.dev.json beside the runtimeconfig (extra probing paths), when there is one.
        var development = Path.ChangeExtension(source, ".dev.json");
        if (File.Exists(development))
            File.Copy(development, Path.ChangeExtension(path, ".dev.json"));
        return path;
    }

    /// <summary>
    /// <see cref="Derive"/>'s text for <paramref name="source"/>, remembered per file and last write (a file that
    /// could not be read is tried again next time).
    /// </summary>
    private static string? Derived(string source)
    {
        DateTime written;
        try
        {
            written = File.GetLastWriteTimeUtc(source);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }

        if (Cache.TryGetValue((source, written), out var known))
            return known;
        var (text, readable) = Derive(source);
        if (readable)
            Cache[(source, written)] = text;
        return text;
    }

    /// <summary>
    /// The text of <paramref name="source"/> with <see cref="EventSourceSwitch"/> added as false (null when it sets the
    /// switch itself, or it is not a runtimeconfig), and whether the file could be read at all.
    /// </summary>
    internal static (string? Text, bool Readable) Derive(string source)
    {
        string json;
        try
        {
            json = File.ReadAllText(source);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return (null, false);
        }

        try
        {
            // As lenient as the .NET host, which reads comments and trailing commas.
            var document = new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true };
            if (JsonNode.Parse(json, documentOptions: document) is not JsonObject root || root["runtimeOptions"] is not JsonObject options)
                return (null, true);

            if (options["configProperties"] is not JsonObject properties)
                options["configProperties"] = properties = [];

            if (properties.ContainsKey(EventSourceSwitch))
                return (null, true); // the application's own choice

            properties[EventSourceSwitch] = false;
            return (root.ToJsonString(new JsonSerializerOptions { WriteIndented = true }), true);
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or ArgumentException)
        {
            // Not JSON the parser takes (a duplicate key throws ArgumentException): the host gets the file as it is.
            return (null, true);
        }
    }
}
