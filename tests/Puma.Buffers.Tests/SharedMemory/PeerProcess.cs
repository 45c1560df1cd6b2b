using System.Diagnostics;
using System.Text;

namespace Puma.Buffers.Tests.SharedMemory;

/// <summary>
/// A running Puma.Buffers.Peer process (started as <c>dotnet Puma.Buffers.Peer.dll args</c>, the
/// dll found beside the tests in <see cref="AppContext.BaseDirectory"/>). Disposing kills it.
/// </summary>
internal sealed class PeerProcess : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly StringBuilder _error = new();
    private readonly SemaphoreSlim _lines = new(0);

    private PeerProcess(Process process)
    {
        _process = process;
    }

    public int Id => _process.Id;

    public static string PeerDll => Path.Combine(AppContext.BaseDirectory, "Puma.Buffers.Peer.dll");

    public static string DotnetHost
    {
        get
        {
            var host = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH");
            if (!string.IsNullOrEmpty(host) && File.Exists(host)) return host;
            var current = Environment.ProcessPath;
            if (current is not null && Path.GetFileNameWithoutExtension(current) == "dotnet") return current;
            return "dotnet";
        }
    }

    public static PeerProcess Start(params string[] args)
    {
        Assert.True(File.Exists(PeerDll), $"peer helper not found at {PeerDll}");
        var info = new ProcessStartInfo(DotnetHost)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        // No diagnostics socket or debugger pipes in /tmp: many peers are killed (kill -9), and a killed runtime
        // leaves those files behind.
        info.Environment["DOTNET_EnableDiagnostics"] = "0";
        info.ArgumentList.Add(PeerDll);
        foreach (var arg in args) info.ArgumentList.Add(arg);
        var process = new Process { StartInfo = info };
        var peer = new PeerProcess(process);
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null) return;
            lock (peer._output) peer._output.AppendLine(e.Data);
            peer._lines.Release();
        };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is null) return;
            lock (peer._error) peer._error.AppendLine(e.Data);
        };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return peer;
    }

    public string Output
    {
        get { lock (_output) return _output.ToString(); }
    }

    public string Error
    {
        get { lock (_error) return _error.ToString(); }
    }

    /// <summary>Waits until the peer printed a line equal to <paramref name="line"/>.</summary>
    public void WaitForLine(string line, TimeSpan timeout)
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            if (Output.Split('\n').Any(l => l.Trim() == line)) return;
            if (_process.HasExited && !Output.Split('\n').Any(l => l.Trim() == line))
                Assert.Fail($"peer exited with {_process.ExitCode} before printing '{line}': {Output} {Error}");
            var left = timeout - deadline.Elapsed;
            if (left <= TimeSpan.Zero) Assert.Fail($"peer did not print '{line}' within {timeout}: {Output} {Error}");
            _lines.Wait(TimeSpan.FromMilliseconds(Math.Min(100, left.TotalMilliseconds)));
        }
    }

    /// <summary>Waits for exit and asserts exit code 0.</summary>
    public void WaitForSuccess(TimeSpan timeout)
    {
        Assert.True(_process.WaitForExit(timeout), $"peer did not exit within {timeout}: {Output} {Error}");
        _process.WaitForExit();
        Assert.True(_process.ExitCode == 0, $"peer exited with {_process.ExitCode}: {Output} {Error}");
    }

    /// <summary>Waits for a successful exit while failing at once if any of <paramref name="others"/> fails.</summary>
    public void WaitForSuccessWatching(IEnumerable<PeerProcess> others, TimeSpan timeout)
    {
        var elapsed = Stopwatch.StartNew();
        while (!_process.WaitForExit(500))
        {
            foreach (var other in others) other.AssertNotFailed();
            Assert.True(elapsed.Elapsed < timeout, $"peer did not exit within {timeout}: {Output} {Error}");
        }
        WaitForSuccess(timeout);
    }

    /// <summary>Fails the test when the peer has already exited with a non-zero code.</summary>
    public void AssertNotFailed()
    {
        if (_process.HasExited && _process.ExitCode != 0) Assert.Fail($"peer exited with {_process.ExitCode}: {Output} {Error}");
    }

    /// <summary>kill -9.</summary>
    public void Kill()
    {
        try
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(5000);
        }
        catch (InvalidOperationException)
        {
        }
    }

    public void Dispose()
    {
        if (!_process.HasExited) Kill();
        _process.Dispose();
    }
}

/// <summary>Tests that start peer processes run one class at a time (2 cores).</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class PeerProcessCollection
{
    public const string Name = "peer processes";
}
