using System.Diagnostics;
using System.Net.Sockets;
using System.Text;
using Puma.Runtime.Child;
using Puma.Runtime.Wire;

namespace Puma.Runtime.Parent;

/// <summary>
/// A child process running the Puma host (<c>dotnet Puma.Runtime.Host.dll</c>), with its control channel,
/// its stdout/stderr lines and its exit.
/// </summary>
/// <remarks>
/// <para>The control channel is a Unix domain socket: the parent listens at <c>control</c> in a fresh 0700
/// temporary directory, passes the path to the child, accepts its one connection and deletes the directory at
/// once. Nothing is inherited, so children started concurrently never hold each other's channel, and the
/// child reads end of file as soon as this process closes the channel or dies. (AF_UNIX also exists on
/// Windows 10 and later.)</para>
/// <para>Each stdout/stderr line is handed to the callbacks of <see cref="ChildProcessOptions"/>; lines are
/// read to the end of the pipe, so what the child printed just before dying arrives before
/// <see cref="Exited"/> completes.</para>
/// <para>A child never outlives its parent: it exits when the control channel reaches end of file, and on
/// Linux it also arms PR_SET_PDEATHSIG(SIGKILL) (see <see cref="ProcessSpawner"/> for why children are
/// forked from one dedicated thread).</para>
/// </remarks>
internal sealed class ChildProcess : IChildConnection
{
    private const int StderrTailLines = 20;

    private static readonly Lazy<string?> ParentRuntimeConfig = new(HostLocator.FindParentRuntimeConfig);

    private readonly Process _process;
    private readonly Task _stdout;
    private readonly Task _stderr;
    private readonly Queue<string> _stderrTail;
    private readonly RuntimeIpcFiles? _ipcFiles;
    private int _disposed;

    private ChildProcess(Process process, Task stdout, Task stderr, Queue<string> stderrTail, string socketDirectory, string? tempDirectory)
    {
        _process = process;
        _ipcFiles = RuntimeIpcFiles.Of(process.Id, tempDirectory);
        _stdout = stdout;
        _stderr = stderr;
        _stderrTail = stderrTail;
        Pid = process.Id;
        SocketDirectory = socketDirectory;
        Exited = WaitForExitAsync();
        Channel = null!;
    }

    /// <summary>The child's process id.</summary>
    public int Pid { get; }

    /// <summary>The control channel to the child. Disposing it closes the socket; the child then exits.</summary>
    public ControlChannel Channel { get; private set; }

    /// <summary>The raw control stream under <see cref="Channel"/>.</summary>
    public Stream Control { get; private set; } = Stream.Null;

    /// <summary>Completes when the child has exited and its stdout/stderr were read to the end.</summary>
    public Task<ChildExit> Exited { get; }

    /// <summary>The temporary directory that held the control socket; deleted once the child connected.</summary>
    internal string SocketDirectory { get; }

    /// <summary>
    /// Starts the host and waits until it has connected its control channel. Fails with the child's exit code
    /// and last stderr lines when it exits first, and after <see cref="ChildProcessOptions.ConnectTimeout"/>.
    /// </summary>
    public static async Task<ChildProcess> StartAsync(ChildProcessOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        var dotnet = options.DotnetPath ?? HostLocator.DotnetPath;
        var host = options.HostPath ?? HostLocator.HostPath;

        var directory = Directory.CreateTempSubdirectory("puma-");
        ChildProcess? child = null;
        try
        {
            if (!OperatingSystem.IsWindows())
                File.SetUnixFileMode(directory.FullName, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);

            var socketPath = Path.Combine(directory.FullName, "control");
            using var listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            listener.Bind(new UnixDomainSocketEndPoint(socketPath));
            listener.Listen(1);

            var startInfo = new ProcessStartInfo(dotnet)
            {
                UseShellExecute = false,
                RedirectStandardInput = true,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                StandardOutputEncoding = Encoding.UTF8,
                StandardErrorEncoding = Encoding.UTF8,
                WorkingDirectory = Environment.CurrentDirectory,
            };
            startInfo.ArgumentList.Add("exec");
            var runtimeConfig = options.UseParentRuntimeConfig && ParentRuntimeConfig.Value is { } parentConfig
                ? parentConfig
                : Path.ChangeExtension(host, ".runtimeconfig.json");
            if (File.Exists(runtimeConfig))
            {
                startInfo.ArgumentList.Add("--runtimeconfig");
                startInfo.ArgumentList.Add(ChildRuntimeConfig.WriteFor(runtimeConfig, directory.FullName));
            }

            startInfo.ArgumentList.Add(host);
            startInfo.ArgumentList.Add(ChildHost.ControlOption);
            startInfo.ArgumentList.Add(socketPath);
            startInfo.ArgumentList.Add(ChildHost.ParentPidOption);
            startInfo.ArgumentList.Add(Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture));
            startInfo.ArgumentList.Add(ChildHost.EntryOption);
            startInfo.ArgumentList.Add(ChildHost.EntryReference);
            ChildRuntimeDefaults.Apply(startInfo);
            if (options.Environment is not null)
            {
                foreach ((var name, var value) in options.Environment)
                {
                    if (value is null)
                        startInfo.Environment.Remove(name);
                    else
                        startInfo.Environment[name] = value;
                }
            }

            var process = await ProcessSpawner.StartAsync(startInfo).ConfigureAwait(false);
            process.StandardInput.Close(); // the child's stdin reads end of file, it never competes for ours

            var tail = new Queue<string>();
            var stdout = PumpAsync(process.StandardOutput, options.StandardOutput, null);
            var stderr = PumpAsync(process.StandardError, options.StandardError, tail);
            string? tempDirectory = null;
            if (options.Environment?.TryGetValue("TMPDIR", out var tmp) == true && !string.IsNullOrEmpty(tmp))
                tempDirectory = tmp;
            child = new ChildProcess(process, stdout, stderr, tail, directory.FullName, tempDirectory);

            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(options.ConnectTimeout);
            var accept = listener.AcceptAsync(timeout.Token).AsTask();
            var first = await Task.WhenAny(accept, child.Exited).ConfigureAwait(false);
            if (first != accept)
            {
                await timeout.CancelAsync().ConfigureAwait(false);
                try
                {
                    (await accept.ConfigureAwait(false)).Dispose();
                }
                catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
                {
                    // Expected: the accept was cancelled.
                }

                var exit = await child.Exited.ConfigureAwait(false);
                throw new InvalidOperationException(
                    $"The Puma child host ({dotnet} {host}) exited before connecting its control channel: {exit}.{child.StderrTail()}");
            }

            Socket socket;
            try
            {
                socket = await accept.ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                throw new TimeoutException(
                    $"The Puma child host (pid {child.Pid}) did not connect its control channel within {options.ConnectTimeout.TotalSeconds:0.#} s.{child.StderrTail()}");
            }

            var stream = new NetworkStream(socket, ownsSocket: true);
            child.Control = stream;
            child.Channel = new ControlChannel(stream);
            return child;
        }
        catch
        {
            if (child is not null)
                await child.DisposeAsync().ConfigureAwait(false);

            throw;
        }
        finally
        {
            try
            {
                directory.Delete(recursive: true);
            }
            catch (IOException)
            {
                // Best effort: the directory is private (0700) and holds only the socket.
            }
        }
    }

    /// <inheritdoc />
    string? IChildConnection.Node => null;

    /// <inheritdoc />
    ValueTask IChildConnection.SendAsync(ControlFrame frame, CancellationToken cancellationToken) => Channel.SendAsync(frame, cancellationToken);

    /// <inheritdoc />
    ValueTask<ControlFrame?> IChildConnection.ReadAsync(CancellationToken cancellationToken) => Channel.ReadAsync(cancellationToken);

    /// <inheritdoc />
    PortBinding IChildConnection.Bind(string portName, PortBinding planned) => planned;

    /// <inheritdoc />
    Exception IChildConnection.Died(string runnableName, ChildExit exit) =>
        new ChildProcessDiedException(runnableName, Pid, exit.ExitCode, exit.Signal, exit.SignalName);

    /// <summary>Kills the child (SIGKILL on Unix). Does nothing if it already exited.</summary>
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
        catch (System.ComponentModel.Win32Exception)
        {
            // Exiting right now.
        }
    }

    /// <summary>Closes the control channel, kills the child if it is still running and waits for its exit.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
            return;

        if (Channel is not null)
            await Channel.DisposeAsync().ConfigureAwait(false);

        Kill();
        try
        {
            await Exited.WaitAsync(TimeSpan.FromSeconds(10)).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            // A zombie that cannot be reaped is out of our hands; do not hang the caller.
        }

        _process.Dispose();
    }

    private async Task<ChildExit> WaitForExitAsync()
    {
        await _process.WaitForExitAsync().ConfigureAwait(false);
        // The pipes reach end of file when the child is gone, unless a grandchild inherited them: bound the wait.
        await Task.WhenAny(Task.WhenAll(_stdout, _stderr), Task.Delay(TimeSpan.FromSeconds(2))).ConfigureAwait(false);
        var exit = ChildExit.FromExitCode(_process.ExitCode);
        if (exit.Signal is not null)
            _ipcFiles?.Remove(); // a killed runtime leaves its diagnostics socket and debugger pipes behind
        return exit;
    }

    private static async Task PumpAsync(StreamReader reader, Action<string>? onLine, Queue<string>? tail)
    {
        await Task.Yield();
        while (await reader.ReadLineAsync().ConfigureAwait(false) is { } line)
        {
            if (tail is not null)
            {
                lock (tail)
                {
                    tail.Enqueue(line);
                    if (tail.Count > StderrTailLines)
                        tail.Dequeue();
                }
            }

            try
            {
                onLine?.Invoke(line);
            }
            catch (Exception)
            {
                // A failing callback must not stop the pump: the pipe would fill up and block the child.
            }
        }
    }

    private string StderrTail()
    {
        lock (_stderrTail)
            return _stderrTail.Count == 0 ? "" : Environment.NewLine + "stderr: " + string.Join(Environment.NewLine, _stderrTail);
    }
}
