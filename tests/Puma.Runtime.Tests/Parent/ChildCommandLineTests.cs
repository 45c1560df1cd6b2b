using Puma.Runtime.Child;
using Puma.Runtime.Parent;


namespace Puma.Runtime.Tests.Parent;

/// <summary>
/// What <see cref="ChildProcess.StartAsync"/> runs, seen through a stand-in for the dotnet muxer (a shell script that
/// prints its command line and environment to stderr and exits without connecting): the arguments, the environment
/// options, and the stderr tail that the start failure carries.
/// </summary>
public sealed class ChildCommandLineTests
{
    [Fact]
    public async Task TheHostGetsTheControlSocketAndTheParentPid()
    {
        using var muxer = new StandInMuxer("echo \"args: $*\" >&2");

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            ChildProcess.StartAsync(new ChildProcessOptions { DotnetPath = muxer.Path, HostPath = "/host.dll" }));

        // The test host has no runtimeconfig.json of its own, so the child host runs with its own (HostLocator).
        Assert.Null(HostLocator.FindParentRuntimeConfig());
        var tmp = Escape(Path.GetTempPath().TrimEnd('/'));
        Assert.Matches(
            $"^args: exec /host.dll --puma-control {tmp}/puma-\\w+/control --puma-parent-pid {Environment.ProcessId} --puma-entry {Escape(ChildHost.EntryReference)}$",
            StderrOf(error).Single());
    }

    [Fact]
    public async Task TheHostRunsWithItsRuntimeConfigPlusTheChildDefaultsWrittenBesideTheControlSocket()
    {
        var hostDirectory = Directory.CreateTempSubdirectory("puma-host-").FullName;
        try
        {
            var host = Path.Combine(hostDirectory, "host.dll");
            File.WriteAllText(Path.ChangeExtension(host, ".runtimeconfig.json"), """{"runtimeOptions":{"framework":{"name":"Microsoft.NETCore.App","version":"10.0.0"}}}""");
            using var muxer = new StandInMuxer("echo \"args: $*\" >&2; echo \"config: $(tr -d ' \\n' < \"$3\")\" >&2");

            var error = await Assert.ThrowsAsync<InvalidOperationException>(() =>
                ChildProcess.StartAsync(new ChildProcessOptions { DotnetPath = muxer.Path, HostPath = host }));

            var tmp = Escape(Path.GetTempPath().TrimEnd('/'));
            var lines = StderrOf(error);
            Assert.Matches($"^args: exec --runtimeconfig {tmp}/puma-(\\w+)/child.runtimeconfig.json {Escape(host)} --puma-control {tmp}/puma-\\1/control ", lines[0]);
            Assert.Equal(
                """config: {"runtimeOptions":{"framework":{"name":"Microsoft.NETCore.App","version":"10.0.0"},"configProperties":{"System.Diagnostics.Tracing.EventSource.IsSupported":false}}}""",
                lines[1]);
        }
        finally
        {
            Directory.Delete(hostDirectory, recursive: true);
        }
    }

    [Fact]
    public async Task EnvironmentOptionsSetAndRemoveVariables()
    {
        using var muxer = new StandInMuxer("echo \"set=${PUMA_TEST_SET-unset} removed=${HOME-unset} kept=${PATH:+yes}\" >&2");

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            ChildProcess.StartAsync(new ChildProcessOptions
            {
                DotnetPath = muxer.Path,
                Environment = new Dictionary<string, string?> { ["PUMA_TEST_SET"] = "a value", ["HOME"] = null },
            }));

        Assert.Equal(["set=a value removed=unset kept=yes"], StderrOf(error));
    }

    [Fact]
    public async Task ChildrenRunWithoutDynamicPgoUnlessTheirEnvironmentSaysOtherwise()
    {
        using var muxer = new StandInMuxer("echo \"pgo=${DOTNET_TieredPGO-unset}\" >&2");
        var inherited = Environment.GetEnvironmentVariable("DOTNET_TieredPGO") is { Length: > 0 } value ? value
            : Environment.GetEnvironmentVariable("COMPlus_TieredPGO") is { Length: > 0 } ? "unset" : "0";

        var byDefault = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            ChildProcess.StartAsync(new ChildProcessOptions { DotnetPath = muxer.Path, HostPath = "/host.dll" }));
        var chosen = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            ChildProcess.StartAsync(new ChildProcessOptions
            {
                DotnetPath = muxer.Path,
                HostPath = "/host.dll",
                Environment = new Dictionary<string, string?> { ["DOTNET_TieredPGO"] = "1" },
            }));

        Assert.Equal([$"pgo={inherited}"], StderrOf(byDefault));
        Assert.Equal(["pgo=1"], StderrOf(chosen));
    }

    [Theory]
    [InlineData(null, null, "0")]
    [InlineData("1", null, "1")]
    [InlineData(null, "1", null)]
    [InlineData("", null, "0")]
    public void TheParentsOwnPgoSettingWins(string? dotnetVariable, string? complusVariable, string? expected)
    {
        var startInfo = new System.Diagnostics.ProcessStartInfo("dotnet");
        startInfo.Environment.Remove("DOTNET_TieredPGO");
        startInfo.Environment.Remove("COMPlus_TieredPGO");
        if (dotnetVariable is not null)
            startInfo.Environment["DOTNET_TieredPGO"] = dotnetVariable;
        if (complusVariable is not null)
            startInfo.Environment["COMPlus_TieredPGO"] = complusVariable;

        ChildRuntimeDefaults.Apply(startInfo);

        Assert.Equal(expected, startInfo.Environment.TryGetValue("DOTNET_TieredPGO", out var set) ? set : null);
    }

    [Fact]
    public async Task TheStartFailureCarriesTheLastTwentyStderrLinesAndTheExitCode()
    {
        using var muxer = new StandInMuxer("for i in $(seq 1 25); do echo \"line $i\" >&2; done; echo out; exit 7");
        var lines = new List<string>();

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            ChildProcess.StartAsync(new ChildProcessOptions { DotnetPath = muxer.Path, HostPath = "/host.dll", StandardError = lines.Add }));

        Assert.StartsWith($"The Puma child host ({muxer.Path} /host.dll) exited before connecting its control channel: {new ChildExit(7, null)}.", error.Message);
        Assert.Equal(Enumerable.Range(6, 20).Select(i => $"line {i}"), StderrOf(error));
        Assert.Equal(Enumerable.Range(1, 25).Select(i => $"line {i}"), lines);
    }

    [Fact]
    public async Task AStartFailureWithNothingOnStderrEndsAtTheExitStatus()
    {
        using var muxer = new StandInMuxer("exit 7");

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            ChildProcess.StartAsync(new ChildProcessOptions { DotnetPath = muxer.Path, HostPath = "/host.dll" }));

        Assert.Equal($"The Puma child host ({muxer.Path} /host.dll) exited before connecting its control channel: {new ChildExit(7, null)}.", error.Message);
    }

    [Fact]
    public async Task TheChildsStandardInputIsAtEndOfFile()
    {
        using var muxer = new StandInMuxer("if read -r line; then echo \"stdin: $line\" >&2; else echo 'stdin: end of file' >&2; fi");

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            ChildProcess.StartAsync(new ChildProcessOptions { DotnetPath = muxer.Path, ConnectTimeout = TimeSpan.FromSeconds(20) }));

        Assert.Equal(["stdin: end of file"], StderrOf(error));
    }

    [Fact]
    public async Task AHostThatNeverConnectsTimesOutNamingItsPidAndItsStderr()
    {
        using var muxer = new StandInMuxer("echo \"pid $$\" >&2; exec sleep 30");

        var error = await Assert.ThrowsAsync<TimeoutException>(() =>
            ChildProcess.StartAsync(new ChildProcessOptions { DotnetPath = muxer.Path, ConnectTimeout = TimeSpan.FromMilliseconds(500) }));

        var pid = int.Parse(StderrOf(error).Single()["pid ".Length..], System.Globalization.CultureInfo.InvariantCulture);
        Assert.StartsWith($"The Puma child host (pid {pid}) did not connect its control channel within 0.5 s.", error.Message);
        Assert.True(SpinWait.SpinUntil(() => !ChildHarness.IsAlive(pid), ChildHarness.Timeout), "the host that timed out was not killed");
    }

    private static string Escape(string text) => System.Text.RegularExpressions.Regex.Escape(text);

    /// <summary>The lines after "stderr: " in a start failure's message.</summary>
    private static string[] StderrOf(Exception error)
    {
        var lines = error.Message.Split(Environment.NewLine);
        var first = Array.FindIndex(lines, l => l.StartsWith("stderr: ", StringComparison.Ordinal));
        Assert.True(first > 0, $"no stderr in: {error.Message}");
        lines[first] = lines[first]["stderr: ".Length..];
        return lines[first..];
    }

    /// <summary>An executable shell script standing in for the dotnet muxer; deleted on dispose.</summary>
    private sealed class StandInMuxer : IDisposable
    {
        public StandInMuxer(string body)
        {
            Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"puma-muxer-{Guid.NewGuid():N}.sh");
            File.WriteAllText(Path, "#!/bin/sh\n" + body + "\n");
            if (!OperatingSystem.IsWindows())
                File.SetUnixFileMode(Path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        public string Path { get; }

        public void Dispose() => File.Delete(Path);
    }
}
