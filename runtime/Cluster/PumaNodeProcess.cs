using System.Diagnostics;
using System.Globalization;
using System.Text;
using Puma.Runtime.Cluster.Node;
using Puma.Runtime.Parent;

namespace Puma.Runtime.Cluster;

/// <summary>
/// A node agent started as a local child process (<c>dotnet Puma.Runtime.Host.dll --puma-node ...</c>, the same agent
/// as the <c>Puma.Node</c> app): for trying a cluster on one machine, demos, tests and benchmarks. It dies with this
/// process (PR_SET_PDEATHSIG on Linux).
/// </summary>
public sealed class PumaNodeProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly RuntimeIpcFiles? _ipcFiles;
    private readonly string? _childTemp;
    private readonly Queue<string> _stderr = new();
    private readonly TaskCompletionSource<string> _up = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _disposed;

    private PumaNodeProcess(Process process)
    {
        _process = process;
        Pid = process.Id;
        _ipcFiles = RuntimeIpcFiles.Of(process.Id, null);
        _childTemp = _ipcFiles is { } files ? NodeTempDirectory.RootOf(files) : null;
    }

    /// <summary>The agent's process id.</summary>
    public int Pid { get; }

    /// <summary>The node's cluster address, e.g. <c>akka.tcp://puma@127.0.0.2:41234</c>.</summary>
    public string Address { get; private set; } = "";

    /// <summary>True once the agent process has exited.</summary>
    public bool HasExited => _process.HasExited;

    /// <summary>
    /// Starts an agent that joins <paramref name="options"/>' seed nodes with its roles and waits until it is up.
    /// </summary>
    /// <param name="options">Cluster settings of the node (seed nodes required; TLS is not passed to a node process: use the <c>Puma.Node</c> app with <c>--tls-certificate</c>).</param>
    /// <param name="cancellationToken">Cancels the wait; the process is then killed. The wait gives up after 60 s in any case.</param>
    /// <exception cref="InvalidOperationException">The agent exited before it was up; the message carries its last stderr lines.</exception>
    public static async Task<PumaNodeProcess> StartAsync(PumaClusterOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.SeedNodes.Count == 0)
            throw new ArgumentException("A node needs a seed node: the supervisor's address (PumaRuntime.ClusterAddress).", nameof(options));
        if (options.Tls is not null)
            throw new ArgumentException("PumaNodeProcess does not pass a TLS certificate to the node: run the Puma.Node app with --tls-certificate, or host a PumaNode.", nameof(options));
        var startInfo = new ProcessStartInfo(HostLocator.DotnetPath)
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        startInfo.ArgumentList.Add("exec");
        if (HostLocator.FindParentRuntimeConfig() is { } runtimeConfig)
        {
            startInfo.ArgumentList.Add("--runtimeconfig");
            startInfo.ArgumentList.Add(runtimeConfig);
        }

        startInfo.ArgumentList.Add(HostLocator.HostPath);
        startInfo.ArgumentList.Add(NodeProgram.NodeOption);
        void Option(string name, string value)
        {
            startInfo.ArgumentList.Add("--" + name);
            startInfo.ArgumentList.Add(value);
        }

        Option("seed", string.Join(',', options.SeedNodes));
        if (options.Roles.Count > 0)
            Option("roles", string.Join(',', options.Roles));
        Option("hostname", options.Hostname);
        Option("port", options.Port.ToString(CultureInfo.InvariantCulture));
        Option("system-name", options.SystemName);
        Option("failure-detection", options.FailureDetection == ClusterFailureDetection.Fast ? "fast" : "default");
        Option("parent-pid", Environment.ProcessId.ToString(CultureInfo.InvariantCulture));

        var node = new PumaNodeProcess(await ProcessSpawner.StartAsync(startInfo).ConfigureAwait(false));
        node._process.StandardInput.Close();
        _ = node.ReadOutputAsync();
        _ = node.ReadErrorAsync();
        using var bounded = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        bounded.CancelAfter(TimeSpan.FromSeconds(60));
        try
        {
            var exited = node._process.WaitForExitAsync(bounded.Token);
            var up = await Task.WhenAny(node._up.Task, exited).ConfigureAwait(false);
            if (up != node._up.Task)
            {
                await exited.ConfigureAwait(false);
                throw new InvalidOperationException($"The Puma node agent exited with code {node._process.ExitCode} before it was up.{node.StderrTail()}");
            }

            node.Address = await node._up.Task.ConfigureAwait(false);
            return node;
        }
        catch
        {
            await node.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Kills the agent at once (SIGKILL), as a crash would; its children die with it.</summary>
    public void Kill()
    {
        try
        {
            _process.Kill();
        }
        catch (InvalidOperationException)
        {
            // Already exited.
        }
    }

    /// <summary>Completes when the agent process has exited.</summary>
    public Task WaitForExitAsync(CancellationToken cancellationToken = default) => _process.WaitForExitAsync(cancellationToken);

    /// <summary>Asks the agent to leave the cluster and stop (SIGTERM), kills it after 5 s, and waits for it.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
            return;
        if (!_process.HasExited)
        {
            Terminate(_process.Id);
            try
            {
                await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(5)).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                Kill();
                await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(5)).ConfigureAwait(false);
            }
        }

        if (ChildExit.FromExitCode(_process.ExitCode).Signal is not null)
        {
            _ipcFiles?.Remove(); // a killed runtime leaves its diagnostics socket and debugger pipes behind
            NodeTempDirectory.Delete(_childTemp); // and so do its children, killed with it
        }
        _process.Dispose();
    }

    private static void Terminate(int pid)
    {
        if (!OperatingSystem.IsWindows())
            _ = Kill(pid, 15);
    }

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);

    private async Task ReadOutputAsync()
    {
        while (await _process.StandardOutput.ReadLineAsync().ConfigureAwait(false) is { } line)
        {
            if (line.StartsWith(NodeProgram.UpLine, StringComparison.Ordinal))
                _up.TrySetResult(line[NodeProgram.UpLine.Length..].Trim());
        }
    }

    private async Task ReadErrorAsync()
    {
        while (await _process.StandardError.ReadLineAsync().ConfigureAwait(false) is { } line)
        {
            lock (_stderr)
            {
                _stderr.Enqueue(line);
                if (_stderr.Count > 20)
                    _stderr.Dequeue();
            }
        }
    }

    private string StderrTail()
    {
        lock (_stderr)
            return _stderr.Count == 0 ? "" : Environment.NewLine + "stderr: " + string.Join(Environment.NewLine, _stderr);
    }
}
