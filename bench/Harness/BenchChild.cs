using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text;
using System.Threading.Channels;

namespace Puma.Bench.Harness;

/// <summary>
/// A child process running this same bench assembly in child mode
/// (<c>dotnet Puma.Bench.dll child ...</c>). Its stdout carries <see cref="ChildReport"/> lines;
/// its stdin is a lifeline (the child exits when it reaches end of file, i.e. when the parent
/// dies); it is killed when it outlives <c>maxLifetime</c> and on dispose if still running.
/// </summary>
internal sealed class BenchChild : IDisposable
{
    private static readonly ConcurrentDictionary<int, BenchChild> Live = new();
    private readonly Process _process;
    private readonly Channel<ChildReport> _reports = Channel.CreateUnbounded<ChildReport>();
    private readonly List<ChildReport> _early = [];
    private readonly StringBuilder _stderr = new();
    private readonly Timer _killTimer;
    private readonly Task _stdoutPump;
    private readonly CancellationTokenSource _exited = new();
    private volatile bool _killed;

    static BenchChild()
    {
        // Ctrl+C or a normal exit never leaves a child behind.
        Console.CancelKeyPress += (_, _) => KillAll();
        AppDomain.CurrentDomain.ProcessExit += (_, _) => KillAll();
    }

    private BenchChild(Process process, TimeSpan maxLifetime)
    {
        _process = process;
        Live[process.Id] = this;
        _killTimer = new Timer(_ => { _killed = true; Kill(); }, null, maxLifetime, Timeout.InfiniteTimeSpan);
        _process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (_stderr) _stderr.AppendLine(e.Data); };
        _process.BeginErrorReadLine();
        _stdoutPump = Task.Run(PumpStdoutAsync);
        _ = _process.WaitForExitAsync().ContinueWith(_ => _exited.Cancel(), TaskScheduler.Default);
    }

    /// <summary>Cancelled when the child process has exited.</summary>
    public CancellationToken ExitedToken => _exited.Token;

    /// <summary>The child's process id.</summary>
    public int Pid => _process.Id;

    /// <summary>Starts <c>dotnet Puma.Bench.dll child args...</c>.</summary>
    /// <param name="args">Arguments after <c>child</c>.</param>
    /// <param name="maxLifetime">The child is killed when it is still running after this.</param>
    /// <param name="environment">Environment variables to set in the child, or null.</param>
    public static BenchChild Start(IEnumerable<string> args, TimeSpan maxLifetime, IReadOnlyDictionary<string, string>? environment = null)
    {
        var dll = typeof(BenchChild).Assembly.Location;
        var psi = new ProcessStartInfo(DotnetHost())
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            StandardOutputEncoding = Encoding.UTF8,
        };
        if (environment is not null)
            foreach (var (name, value) in environment) psi.Environment[name] = value;
        psi.ArgumentList.Add(dll);
        psi.ArgumentList.Add("child");
        foreach (var a in args) psi.ArgumentList.Add(a);
        var p = Process.Start(psi) ?? throw new InvalidOperationException("could not start the child process");
        return new BenchChild(p, maxLifetime);
    }

    /// <summary>The dotnet host: this process when it is <c>dotnet</c>, else DOTNET_HOST_PATH, else <c>dotnet</c> on PATH.</summary>
    internal static string DotnetHost()
    {
        var self = Environment.ProcessPath;
        if (self is not null && Path.GetFileNameWithoutExtension(self).Equals("dotnet", StringComparison.OrdinalIgnoreCase))
            return self;
        var hostPath = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH");
        if (!string.IsNullOrEmpty(hostPath) && File.Exists(hostPath)) return hostPath;
        var root = Environment.GetEnvironmentVariable("DOTNET_ROOT");
        if (!string.IsNullOrEmpty(root))
        {
            var candidate = Path.Combine(root, OperatingSystem.IsWindows() ? "dotnet.exe" : "dotnet");
            if (File.Exists(candidate)) return candidate;
        }
        return "dotnet";
    }

    private async Task PumpStdoutAsync()
    {
        try
        {
            while (await _process.StandardOutput.ReadLineAsync().ConfigureAwait(false) is { } line)
            {
                var report = ChildReport.TryParse(line);
                if (report is not null) _reports.Writer.TryWrite(report);
                else lock (_stderr) _stderr.AppendLine(line);
            }
        }
        catch (IOException) { }
        catch (ObjectDisposedException) { }
        finally { _reports.Writer.TryComplete(); }
    }

    /// <summary>
    /// The next report the child prints, while it runs; null when its stdout ended first.
    /// Throws <see cref="TimeoutException"/> after <paramref name="timeout"/>.
    /// </summary>
    public ChildReport? NextReport(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            return _reports.Reader.WaitToReadAsync(cts.Token).AsTask().GetAwaiter().GetResult() && _reports.Reader.TryRead(out var report)
                ? report
                : null;
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"child {Pid} sent no report within {timeout.TotalSeconds:0}s{Diagnostics()}");
        }
    }

    /// <summary>
    /// Waits for the child to exit and returns its reports; throws when it reported an error,
    /// exited with a non-zero code, was killed, or did not exit within <paramref name="timeout"/>.
    /// </summary>
    public List<ChildReport> WaitForExit(TimeSpan timeout)
    {
        if (!_process.WaitForExit(timeout))
        {
            Kill();
            throw new BenchChildException($"child did not exit within {timeout.TotalSeconds:0}s and was killed{Diagnostics()}");
        }
        _process.WaitForExit(); // drain the async stderr reader
        _stdoutPump.Wait(TimeSpan.FromSeconds(5));
        var list = new List<ChildReport>(_early);
        while (_reports.Reader.TryRead(out var r)) list.Add(r);
        var error = list.FirstOrDefault(r => r.Type == "error");
        if (error is not null) throw new BenchChildException($"child: {error.Message}");
        if (_killed) throw new BenchChildException($"child outlived its measurement and was killed{Diagnostics()}");
        if (_process.ExitCode != 0) throw new BenchChildException($"child exited with code {_process.ExitCode}{Diagnostics()}");
        return list;
    }

    /// <summary>
    /// Waits for the child's first report of <paramref name="type"/> (e.g. "ready", a handshake
    /// sent before the measurement) and returns it; other reports received meanwhile are kept for
    /// <see cref="WaitForExit"/>. Throws when the child reports an error, exits first, or the time runs out.
    /// </summary>
    public ChildReport WaitForReport(string type, TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            while (true)
            {
                var r = _reports.Reader.ReadAsync(cts.Token).AsTask().GetAwaiter().GetResult();
                if (r.Type == "error") throw new BenchChildException($"child: {r.Message}");
                if (r.Type == type) return r;
                _early.Add(r);
            }
        }
        catch (OperationCanceledException)
        {
            throw new BenchChildException($"child sent no '{type}' report within {timeout.TotalSeconds:0}s{Diagnostics()}");
        }
        catch (ChannelClosedException)
        {
            _process.WaitForExit(2000);
            throw new BenchChildException($"child exited before its '{type}' report{Diagnostics()}");
        }
    }

    /// <summary>
    /// Why the child failed, when the parent's side broke (e.g. a broken pipe): waits up to
    /// <paramref name="wait"/> for the child to exit, then returns its error report or exit status.
    /// </summary>
    public string? FailureReason(TimeSpan wait)
    {
        if (!_process.WaitForExit(wait)) return null;
        _stdoutPump.Wait(TimeSpan.FromSeconds(2));
        while (_reports.Reader.TryRead(out var r))
            if (r.Type == "error") return $"child: {r.Message}";
        return _process.ExitCode != 0 || _killed ? $"child failed{Diagnostics()}" : null;
    }

    private string Diagnostics()
    {
        string err;
        lock (_stderr) err = _stderr.ToString().Trim();
        var exit = _process.HasExited ? $" (exit code {_process.ExitCode})" : "";
        return err.Length == 0 ? exit : $"{exit}: {err}";
    }

    /// <summary>Kills the child and its descendants if it is still running.</summary>
    public void Kill()
    {
        try
        {
            if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException) { }
        catch (System.ComponentModel.Win32Exception) { }
    }

    private static void KillAll()
    {
        foreach (var c in Live.Values) c.Kill();
    }

    /// <summary>Kills the child if it still runs, then releases everything.</summary>
    public void Dispose()
    {
        _killTimer.Dispose();
        Kill();
        try { _process.WaitForExit(5000); } catch (InvalidOperationException) { }
        try { _process.StandardInput.Dispose(); } catch (IOException) { }
        Live.TryRemove(_process.Id, out _);
        _process.Dispose();
    }
}

/// <summary>A child process failed: it reported an error, died, or overran its time.</summary>
internal sealed class BenchChildException(string message) : Exception(message);
