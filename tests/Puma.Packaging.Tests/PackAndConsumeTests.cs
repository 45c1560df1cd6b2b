namespace Puma.Packaging.Tests;

/// <summary>
/// README "Packages": packing the solution makes the four library packages, and an app outside the repository
/// whose only reference is the Puma.Runtime package builds, publishes and runs a runnable in a child process
/// (the package brings the child host and puts it beside Puma.Runtime.dll).
/// </summary>
public class PackAndConsumeTests
{
    private const string Release = "Release";

    // Generous: restore, build and publish on a loaded 2-core machine; each takes seconds when it is quiet.
    private static readonly TimeSpan PackTimeout = TimeSpan.FromMinutes(3);
    private static readonly TimeSpan BuildTimeout = TimeSpan.FromMinutes(5);
    private static readonly TimeSpan RunTimeout = TimeSpan.FromMinutes(2);

    private static readonly string[] PackageIds = ["Puma.Buffers", "Puma.Hosting", "Puma.Logging", "Puma.Runnables", "Puma.Runtime"];
    private static readonly string[] HostFiles = ["Puma.Runtime.dll", "Puma.Runtime.Host.dll", "Puma.Runtime.Host.runtimeconfig.json"];

    [Fact]
    public async Task AnAppReferencingOnlyThePumaRuntimePackageRunsAProcessRunnableWhenBuiltAndWhenPublished()
    {
        var repository = RepositoryLayout.OfThisTest();
        using var workspace = TempWorkspace.Create();
        var feed = workspace.Folder("feed");
        var packages = workspace.Folder("packages");
        // A version of their own, so no package cached anywhere can stand in for the ones made here; the
        // consumer restores into the workspace's packages folder, so the machine's global one is left alone.
        var version = $"0.1.0-test.{DateTime.UtcNow:yyyyMMddHHmmss}";
        var cli = new CommandRunner(new Dictionary<string, string>
        {
            ["NUGET_PACKAGES"] = packages,
            ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1",
            ["DOTNET_NOLOGO"] = "1",
            ["DOTNET_SKIP_FIRST_TIME_EXPERIENCE"] = "1",
        });

        // The solution as built for this test (its project references built the libraries first); the
        // nuspec files go to the workspace, so packing writes nothing into the repository.
        (await cli.DotnetAsync(repository.Root, PackTimeout, "pack", repository.Solution, "-c", repository.Configuration, "--no-build",
            "-o", feed, $"-p:Version={version}", $"-p:NuspecOutputPath={workspace.Folder("nuspec")}/")).EnsureSucceeded();
        Assert.Equal(
            PackageIds.SelectMany(id => new[] { $"{id}.{version}.nupkg", $"{id}.{version}.snupkg" }).Order(StringComparer.Ordinal),
            Directory.GetFiles(feed).Select(Path.GetFileName).Order(StringComparer.Ordinal));

        var app = ConsumerApp.Write(workspace, repository.ConsumerAppSource, version, feed, packages);
        (await cli.DotnetAsync(app.Folder, BuildTimeout, "build", app.Project, "-c", Release, "--disable-build-servers")).EnsureSucceeded();
        AssertHostIn(app.Output(Release));
        await AssertRunsAsync(cli, Path.Combine(app.Output(Release), ConsumerApp.Name + ".dll"));

        var published = Path.Combine(workspace.Root, "published");
        (await cli.DotnetAsync(app.Folder, BuildTimeout, "publish", app.Project, "-c", Release, "-o", published, "--disable-build-servers")).EnsureSucceeded();
        AssertHostIn(published);
        await AssertRunsAsync(cli, Path.Combine(published, ConsumerApp.Name + ".dll"));
    }

    private static void AssertHostIn(string folder)
    {
        foreach (var file in HostFiles)
            Assert.True(File.Exists(Path.Combine(folder, file)), $"{file} is not in {folder}: {string.Join(", ", Directory.GetFiles(folder).Select(Path.GetFileName))}");
    }

    /// <summary>
    /// Runs the app: it sums 1..1000 written by a producer in a child process, and prints its own pid, the pid the
    /// producer saw, and the producer's pid according to the runtime.
    /// </summary>
    private static async Task AssertRunsAsync(CommandRunner cli, string dll)
    {
        var run = (await cli.DotnetAsync(Path.GetDirectoryName(dll)!, RunTimeout, dll)).EnsureSucceeded();
        var lines = run.StandardOutput;
        const string ProducerPrefix = "producer pid: ";
        var producerPid = lines.Count == 4 && lines[2].StartsWith(ProducerPrefix, StringComparison.Ordinal) && int.TryParse(lines[2][ProducerPrefix.Length..], out var pid) ? pid : 0;
        string[] expected =
        [
            "sum of 1..1000: 500500",
            $"app pid: {run.ProcessId}",
            $"producer pid: {producerPid}",
            $"producer pid seen by the runtime: {producerPid}",
        ];
        Assert.True(lines.SequenceEqual(expected), $"expected{Environment.NewLine}{string.Join(Environment.NewLine, expected)}{Environment.NewLine}but {run.Describe()}");
        Assert.True(producerPid > 0 && producerPid != run.ProcessId, $"the producer ran in process {producerPid}, the app is {run.ProcessId}");
    }
}
