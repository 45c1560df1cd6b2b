using Puma.Runtime.Child;
using Puma.Runtime.Parent;


namespace Puma.Runtime.Tests.Parent;

/// <summary>README, "How it works": the control socket lives in a private (0700) directory, removed once the child connected.</summary>
public sealed class ControlSocketDirectoryTests
{
    /// <summary>
    /// The child is started through a wrapper script that, before running the real host, looks at the
    /// directory of the socket path it was given (while the parent waits for the connection) and prints its
    /// mode and owner on stderr.
    /// </summary>
    [Fact]
    public async Task TheControlSocketDirectoryIsPrivateToTheUserAndRemovedOnceConnected()
    {
        if (OperatingSystem.IsWindows())
            return;
        var script = Path.Combine(Path.GetTempPath(), $"puma-test-{Guid.NewGuid():N}.sh");
        File.WriteAllText(script, $$"""
            #!/bin/sh
            for arg; do
              if [ "$previous" = "{{ChildHost.ControlOption}}" ]; then directory=$(dirname "$arg"); fi
              previous=$arg
            done
            echo "socket-directory $(stat -c '%a %u' "$directory") $directory" >&2
            exec '{{HostLocator.DotnetPath}}' "$@"
            """);
        File.SetUnixFileMode(script, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        try
        {
            var errors = new LineList();
            await using var child = await ChildProcess.StartAsync(new ChildProcessOptions { DotnetPath = script, StandardError = errors.Add });
            Assert.False(Directory.Exists(child.SocketDirectory), "the control socket directory is removed once the child connected");

            var line = await FirstLineAsync(errors, "socket-directory ");
            var parts = line.Split(' ', 4);
            Assert.Equal("700", parts[1]);
            Assert.Equal(CurrentUid(), int.Parse(parts[2]));
            Assert.Equal(child.SocketDirectory, parts[3]);
            Assert.StartsWith("puma-", Path.GetFileName(child.SocketDirectory));
        }
        finally
        {
            File.Delete(script);
        }
    }

    private static async Task<string> FirstLineAsync(LineList lines, string prefix)
    {
        for (var waited = 0; waited < 20_000; waited += 20)
        {
            if (lines.Lines.FirstOrDefault(l => l.StartsWith(prefix, StringComparison.Ordinal)) is { } line)
                return line;
            await Task.Delay(20);
        }
        Assert.Fail($"no line starting with '{prefix}' on the child's stderr: {lines}");
        return "";
    }

    private static int CurrentUid() =>
        int.Parse(File.ReadLines("/proc/self/status").First(l => l.StartsWith("Uid:")).Split('\t', StringSplitOptions.RemoveEmptyEntries)[1]);
}
