using System.Collections.Concurrent;
using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text.RegularExpressions;

namespace Puma.Hosting.Tests;

/// <summary>samples/HostedPipeline started as a user starts it (<c>dotnet HostedPipeline.dll ...</c>), its output collected line by line.</summary>
internal sealed partial class SampleProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _lines = new();

    private SampleProcess(Process process)
    {
        _process = process;
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) _lines.Enqueue(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) _lines.Enqueue("stderr: " + e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public IReadOnlyCollection<string> Lines => _lines;

    public string Output => string.Join(Environment.NewLine, _lines);

    /// <summary>Starts the sample from a working directory that is not its own (it must find appsettings.json beside its dll).</summary>
    public static SampleProcess Start(params string[] args)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetTempPath(),
        };
        start.ArgumentList.Add(SampleDll);
        foreach (var arg in args)
            start.ArgumentList.Add(arg);
        return new SampleProcess(Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start"));
    }

    /// <summary>Waits until the supervisor has logged the pid of the child that runs Square.</summary>
    public async Task<int> SquareChildPidAsync()
    {
        var until = DateTime.UtcNow + TestHosts.Timeout;
        while (DateTime.UtcNow < until)
        {
            foreach (var line in _lines)
            {
                if (ChildLine().Match(line) is { Success: true } m)
                    return int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
            }
            if (_process.HasExited)
                break;
            await Task.Delay(20);
        }
        throw new TimeoutException($"The sample did not log the child pid of Square:{Environment.NewLine}{Output}");
    }

    /// <summary>Waits for the sample to exit and returns its exit code.</summary>
    public async Task<int> ExitCodeAsync()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            await _process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"The sample did not exit within 60 s:{Environment.NewLine}{Output}");
        }
        _process.WaitForExit(); // drains the redirected output
        return _process.ExitCode;
    }

    /// <summary>Sends SIGTERM, as a service manager or <c>docker stop</c> does.</summary>
    public void Terminate() => Assert.Equal(0, SendSignal(_process.Id, 15));

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
    }

    /// <summary>The sample's build output for this test's configuration (the project reference builds it first).</summary>
    private static string SampleDll
    {
        get
        {
            var here = new DirectoryInfo(AppContext.BaseDirectory); // tests/Puma.Hosting.Tests/bin/<Configuration>/<tfm>/
            var tfm = here.Name;
            var configuration = here.Parent!.Name;
            var root = here;
            while (root is not null && !File.Exists(Path.Combine(root.FullName, "Puma.sln")))
                root = root.Parent;
            if (root is null)
                throw new DirectoryNotFoundException($"No Puma.sln above {AppContext.BaseDirectory}.");
            var dll = Path.Combine(root.FullName, "samples", "HostedPipeline", "bin", configuration, tfm, "HostedPipeline.dll");
            return File.Exists(dll) ? dll : throw new FileNotFoundException("The sample is not built.", dll);
        }
    }

    [GeneratedRegex(@"Runnable Square runs in child process (\d+)")]
    private static partial Regex ChildLine();

    [LibraryImport("libc", EntryPoint = "kill")]
    private static partial int SendSignal(int pid, int signal);
}
