using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.RegularExpressions;

namespace Puma.Demo.Tests;

/// <summary>The demo started as a user starts it (<c>dotnet Puma.Demo.dll ...</c>), with its output collected line by line.</summary>
internal sealed partial class DemoProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _lines = new();

    private DemoProcess(Process process)
    {
        _process = process;
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) _lines.Enqueue(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) _lines.Enqueue("stderr: " + e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public int Pid => _process.Id;

    public string Output => string.Join(Environment.NewLine, _lines);

    public static DemoProcess Start(params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(DemoDll);
        foreach (var arg in args)
            start.ArgumentList.Add(arg);
        return new DemoProcess(Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start"));
    }

    /// <summary>Waits until the supervisor has logged the child pid of each named runnable.</summary>
    public async Task<Dictionary<string, int>> ChildPidsAsync(IReadOnlyCollection<string> runnables, TimeSpan timeout)
    {
        var until = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < until)
        {
            var pids = new Dictionary<string, int>();
            foreach (var line in _lines)
            {
                if (ChildLine().Match(line) is { Success: true } m)
                    pids[m.Groups[1].Value] = int.Parse(m.Groups[2].Value);
            }

            if (runnables.All(pids.ContainsKey))
                return pids;
            if (_process.HasExited)
                break;
            await Task.Delay(20);
        }
        throw new TimeoutException($"The demo did not log the child pids of {string.Join(", ", runnables)} within {timeout}:{Environment.NewLine}{Output}");
    }

    /// <summary>Waits for the demo to exit and returns its exit code.</summary>
    public async Task<int> ExitCodeAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"The demo did not exit within {timeout}:{Environment.NewLine}{Output}");
        }
        _process.WaitForExit(); // drains the redirected output
        return _process.ExitCode;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
    }

    /// <summary>The demo's build output for this test's configuration (the project reference builds it first).</summary>
    private static string DemoDll
    {
        get
        {
            var here = new DirectoryInfo(AppContext.BaseDirectory); // tests/Puma.Demo.Tests/bin/<Configuration>/<tfm>/
            var tfm = here.Name;
            var configuration = here.Parent!.Name;
            var root = here;
            while (root is not null && !File.Exists(Path.Combine(root.FullName, "Puma.sln")))
                root = root.Parent;
            if (root is null)
                throw new DirectoryNotFoundException($"No Puma.sln above {AppContext.BaseDirectory}.");
            var dll = Path.Combine(root.FullName, "demo", "bin", configuration, tfm, "Puma.Demo.dll");
            return File.Exists(dll) ? dll : throw new FileNotFoundException("The demo is not built.", dll);
        }
    }

    [GeneratedRegex(@"Runnable (\w+) runs in child process (\d+)")]
    private static partial Regex ChildLine();
}
