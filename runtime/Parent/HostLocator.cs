using System.Runtime.InteropServices;

namespace Puma.Runtime.Parent;

/// <summary>Finds the <c>dotnet</c> muxer and the child host (<c>Puma.Runtime.Host.dll</c>).</summary>
internal static class HostLocator
{
    /// <summary>File name of the host assembly, copied beside Puma.Runtime.dll by the build.</summary>
    public const string HostFileName = "Puma.Runtime.Host.dll";

    // Stryker disable once Conditional : the tests run on Linux, where IsWindows() is false; forcing it false changes nothing there
    private static readonly string MuxerName = OperatingSystem.IsWindows() ? "dotnet.exe" : "dotnet";

    private static readonly Lazy<string> Muxer = new(FindMuxer);

    private static readonly Lazy<string> Host = new(FindHost);

    /// <summary>Full path of the dotnet muxer that starts children (cached).</summary>
    public static string DotnetPath => Muxer.Value;

    /// <summary>Full path of Puma.Runtime.Host.dll (cached).</summary>
    public static string HostPath => Host.Value;

    /// <summary>
    /// The muxer, in order: this process when it is dotnet itself (<c>dotnet run</c>'s child is an apphost,
    /// but <c>dotnet app.dll</c> and <c>dotnet test</c>'s testhost are dotnet); the root of the runtime this
    /// process runs on (…/shared/Microsoft.NETCore.App/&lt;version&gt;/ is three levels below it), so the child
    /// uses the same installation; DOTNET_ROOT (and its architecture-specific variants); PATH.
    /// </summary>
    public static string FindMuxer() =>
        FindMuxer(Environment.ProcessPath, RuntimeEnvironment.GetRuntimeDirectory(), Environment.GetEnvironmentVariable, File.Exists);

    /// <summary>
    /// <see cref="FindMuxer()"/> over the given process path, runtime directory, environment and file system
    /// (the parameters let a test lay out each case).
    /// </summary>
    public static string FindMuxer(string? process, string runtimeDirectory, Func<string, string?> environment, Func<string, bool> exists)
    {
        if (process is not null && string.Equals(Path.GetFileName(process), MuxerName, StringComparison.OrdinalIgnoreCase))
            return process;

        var candidates = new List<string>();
        var root = new DirectoryInfo(runtimeDirectory.TrimEnd(Path.DirectorySeparatorChar)).Parent?.Parent?.Parent;
        if (root is not null)
            candidates.Add(Path.Combine(root.FullName, MuxerName));

        var architecture = RuntimeInformation.ProcessArchitecture.ToString().ToUpperInvariant();
        foreach (var variable in new[] { $"DOTNET_ROOT_{architecture}", "DOTNET_ROOT", "DOTNET_ROOT(x86)" })
        {
            if (environment(variable) is { Length: > 0 } value)
                candidates.Add(Path.Combine(value, MuxerName));
        }

        if (environment("PATH") is { } path)
        {
            foreach (var directory in path.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
                candidates.Add(Path.Combine(directory, MuxerName));
        }

        foreach (var candidate in candidates)
        {
            if (exists(candidate))
                return Path.GetFullPath(candidate);
        }

        throw new FileNotFoundException(
            $"Cannot find the '{MuxerName}' executable to start a child process (looked beside the runtime in {runtimeDirectory}, in DOTNET_ROOT and in PATH). " +
            "Process placement needs a framework-dependent .NET installation.");
    }

    /// <summary>
    /// The parent application's runtimeconfig.json (beside the entry assembly) when it describes a
    /// framework-dependent app, else null. Children run with it (<c>dotnet exec --runtimeconfig</c>) so they
    /// get the same shared frameworks (ASP.NET Core, ...), versions and runtime settings as the parent. The
    /// test host (testhost.dll) has none; the host's own runtimeconfig (Microsoft.NETCore.App) is used then.
    /// </summary>
    public static string? FindParentRuntimeConfig() => FindParentRuntimeConfig(System.Reflection.Assembly.GetEntryAssembly()?.Location);

    /// <summary><see cref="FindParentRuntimeConfig()"/> for the given entry assembly path.</summary>
    public static string? FindParentRuntimeConfig(string? entry)
    {
        if (string.IsNullOrEmpty(entry))
            return null;

        var path = Path.ChangeExtension(entry, ".runtimeconfig.json");
        try
        {
            if (!File.Exists(path))
                return null;

            using var document = System.Text.Json.JsonDocument.Parse(File.ReadAllBytes(path));
            return document.RootElement.TryGetProperty("runtimeOptions", out var options)
                && (options.TryGetProperty("framework", out _) || options.TryGetProperty("frameworks", out _))
                ? path
                : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or System.Text.Json.JsonException)
        {
            return null;
        }
    }

    /// <summary>The host beside Puma.Runtime.dll, else in the application base directory.</summary>
    public static string FindHost() => FindHost(typeof(HostLocator).Assembly.Location, AppContext.BaseDirectory, File.Exists);

    /// <summary><see cref="FindHost()"/> for the given Puma.Runtime.dll location, base directory and file system.</summary>
    public static string FindHost(string? location, string baseDirectory, Func<string, bool> exists)
    {
        var candidates = new List<string>();
        if (!string.IsNullOrEmpty(location))
            candidates.Add(Path.Combine(Path.GetDirectoryName(location)!, HostFileName));

        candidates.Add(Path.Combine(baseDirectory, HostFileName));
        foreach (var candidate in candidates)
        {
            if (exists(candidate))
                return candidate;
        }

        throw new FileNotFoundException(
            $"Cannot find {HostFileName} (looked in {string.Join(" and ", candidates.Select(Path.GetDirectoryName).Distinct())}). " +
            "The build copies it beside Puma.Runtime.dll; single-file publishing is not supported with process placement.",
            HostFileName);
    }
}
