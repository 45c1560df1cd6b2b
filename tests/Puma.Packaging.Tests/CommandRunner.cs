using System.Collections.Concurrent;
using System.Diagnostics;

namespace Puma.Packaging.Tests;

/// <summary>
/// Runs the dotnet muxer (the SDK's commands, or an app's dll) to the end, with a time limit, an environment
/// cleaned of the MSBuild settings that `dotnet test` leaves behind, and the given extra variables.
/// </summary>
internal sealed class CommandRunner(IReadOnlyDictionary<string, string> environment)
{
    /// <summary>The muxer that runs this test (DOTNET_HOST_PATH, set by the dotnet CLI), else dotnet from PATH.</summary>
    public static string Dotnet =>
        Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host : "dotnet";

    /// <summary>Runs <c>dotnet args...</c> in <paramref name="workingDirectory"/>; kills it (with its children) after <paramref name="timeout"/>.</summary>
    public async Task<ProcessResult> DotnetAsync(string workingDirectory, TimeSpan timeout, params string[] args)
    {
        var start = new ProcessStartInfo(Dotnet)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in args)
            start.ArgumentList.Add(arg);
        foreach (var name in start.Environment.Keys.Where(k => k.StartsWith("MSBuild", StringComparison.OrdinalIgnoreCase)).ToList())
            start.Environment.Remove(name);
        foreach (var (name, value) in environment)
            start.Environment[name] = value;

        var commandLine = $"dotnet {string.Join(' ', args)}";
        var output = new ConcurrentQueue<string>();
        var standardOutput = new ConcurrentQueue<string>();
        var clock = Stopwatch.StartNew();
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{commandLine} did not start");
        var processId = process.Id;
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null)
                return;
            standardOutput.Enqueue(e.Data);
            output.Enqueue(e.Data);
        };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) output.Enqueue("stderr: " + e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        using var limit = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(limit.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            Assert.Fail($"`{commandLine}` did not finish within {timeout}:{Environment.NewLine}{string.Join(Environment.NewLine, output)}");
        }
        process.WaitForExit(); // drains the redirected output
        return new ProcessResult(commandLine, processId, process.ExitCode, [.. standardOutput], string.Join(Environment.NewLine, output), clock.Elapsed);
    }
}
