namespace Puma.Runtime.Parent;

/// <summary>How to start a <see cref="ChildProcess"/>.</summary>
internal sealed record ChildProcessOptions
{
    /// <summary>Called with each line the child writes to stdout, on a reader thread, in order.</summary>
    public Action<string>? StandardOutput { get; init; }

    /// <summary>Called with each line the child writes to stderr, on a reader thread, in order.</summary>
    public Action<string>? StandardError { get; init; }

    /// <summary>How long the child may take to connect its control channel before the start fails.</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Extra environment variables for the child (null values remove a variable).</summary>
    public IReadOnlyDictionary<string, string?>? Environment { get; init; }

    /// <summary>The host assembly to run; null for <see cref="HostLocator.HostPath"/>.</summary>
    public string? HostPath { get; init; }

    /// <summary>
    /// Run the child with the parent application's runtimeconfig.json (same frameworks and settings) when it
    /// has one; see <see cref="HostLocator.FindParentRuntimeConfig()"/>. When false, or when there is none, the
    /// host's own runtimeconfig (Microsoft.NETCore.App) is used.
    /// </summary>
    public bool UseParentRuntimeConfig { get; init; } = true;

    /// <summary>The dotnet muxer; null for <see cref="HostLocator.DotnetPath"/>.</summary>
    public string? DotnetPath { get; init; }
}
