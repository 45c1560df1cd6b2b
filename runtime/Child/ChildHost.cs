using System.Globalization;
using System.Net.Sockets;
using System.Reflection;
using System.Threading.Channels;
using Puma.Runtime.Parent;
using Puma.Runtime.Wire;

namespace Puma.Runtime.Child;

/// <summary>
/// The child side: <c>Puma.Runtime.Host.dll</c> calls <see cref="Main"/>, which connects the control channel,
/// reads the Start frame, loads the runnable's assembly, rebuilds the runnable, sends Started, runs
/// the options' <see cref="ChildHostOptions.Runner"/>, and sends Ended with how the run ended (exit code 0, or 1 for a
/// failed run), or Failed with the full exception when rebuilding or the runner threw (exit code 1).
/// </summary>
/// <remarks>
/// <para>The child exits with <see cref="ExitCodeControlClosed"/> as soon as the control channel reaches end
/// of file (the parent closed it or died), whatever the runner is doing; on Linux it is also SIGKILLed when the
/// parent dies (<see cref="ParentDeathSignal"/>). An exception escaping on another thread is reported as a
/// Failed frame (best effort) before .NET ends the process with SIGABRT; <see cref="Environment.FailFast(string)"/>
/// ends it without a frame and the parent sees the exit.</para>
/// <para>Exit codes stay below 128 so that codes 129..192 always mean "killed by a signal" (see <see cref="ChildExit"/>).</para>
/// </remarks>
internal sealed class ChildHost(ChildHostOptions options)
{
    /// <summary>Command-line option carrying the control socket path.</summary>
    public const string ControlOption = "--puma-control";

    /// <summary>Command-line option carrying the parent's process id.</summary>
    public const string ParentPidOption = "--puma-parent-pid";

    /// <summary>
    /// Command-line option carrying <see cref="Main"/> as a <see cref="MetadataReference"/>, so the host finds it without
    /// parsing a type name (read by Puma.Runtime.Host's Program; ignored here).
    /// </summary>
    public const string EntryOption = "--puma-entry";

    /// <summary>The value of <see cref="EntryOption"/>: this build's <see cref="Main"/>.</summary>
    public static string EntryReference { get; } = MetadataReference.Of(((Func<string[], int>)Main).Method).ToString();

    /// <summary>Exit code: the runnable failed (an Ended frame of a failed run, or a Failed frame, was sent when possible).</summary>
    public const int ExitCodeFailed = 1;

    /// <summary>Exit code: bad command line or protocol (no Start frame, ...).</summary>
    public const int ExitCodeUsage = 2;

    /// <summary>Exit code: the control channel reached end of file, or the parent was already gone.</summary>
    public const int ExitCodeControlClosed = 3;

    private volatile bool _finishing;

    /// <summary>
    /// The host's entry point: <c>--puma-control &lt;socket path&gt; --puma-parent-pid &lt;pid&gt;</c>, run with the
    /// runtime's plug-ins (<see cref="ChildHostSetup.Options"/>). Returns the exit code.
    /// </summary>
    public static int Main(string[] args) =>
        args is [Cluster.Node.NodeProgram.NodeOption, ..] ? Cluster.Node.NodeProgram.Main(args) : new ChildHost(ChildHostSetup.Options).Run(args);

    /// <summary>Runs the child with these options: see <see cref="Main"/>. Returns the exit code.</summary>
    public int Run(string[] args)
    {
        string? socketPath = null;
        var parentPid = 0;
        for (var i = 0; i + 1 < args.Length; i += 2)
        {
            switch (args[i])
            {
                case ControlOption:
                    socketPath = args[i + 1];
                    break;
                case ParentPidOption:
                    parentPid = int.Parse(args[i + 1], CultureInfo.InvariantCulture);
                    break;
            }
        }

        if (socketPath is null)
        {
            Console.Error.WriteLine($"Puma child host: usage: {ControlOption} <socket path> [{ParentPidOption} <pid>]. It is started by Puma.Runtime, not by hand.");
            return ExitCodeUsage;
        }

        if (!ParentDeathSignal.Arm(parentPid))
            return ExitCodeControlClosed;

        ChildWarmUp.Start();

        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            socket.Connect(new UnixDomainSocketEndPoint(socketPath));
        }
        catch (SocketException e)
        {
            socket.Dispose();
            Console.Error.WriteLine($"Puma child host: cannot connect the control channel {socketPath}: {e.Message}");
            return ExitCodeControlClosed;
        }

        var channel = new ControlChannel(new NetworkStream(socket, ownsSocket: true));
        AppDomain.CurrentDomain.UnhandledException += (_, e) => ReportUnhandled(channel, e.ExceptionObject);
        return RunAsync(channel).GetAwaiter().GetResult();
    }

    private async Task<int> RunAsync(ControlChannel channel)
    {
        ControlFrame? first;
        try
        {
            first = channel.Read();
        }
        catch (Exception e) when (e is IOException or InvalidDataException or EndOfStreamException)
        {
            Console.Error.WriteLine($"Puma child host: reading the Start frame failed: {e.Message}");
            return ExitCodeUsage;
        }

        if (first is null)
            return ExitCodeControlClosed;

        if (first.Kind != ControlMessageKind.Start)
        {
            Console.Error.WriteLine($"Puma child host: expected a Start frame, got {first.Kind}.");
            return ExitCodeUsage;
        }

        using var stopping = new CancellationTokenSource();
        try
        {
            var start = StartFrame.Read(first);
            var type = ChildAssemblyLoader.LoadType(start.AssemblyPath, start.TypeName, start.ParentBaseDirectory, start.AssemblyName, start.TypeReference);
            var runnable = start.Configuration.Restore(type, options.AttachPort, options.ExcludeProperty);

            // Synchronous continuations: the reader thread runs the runner's pump itself (a command or request reaches
            // the loop without a thread-pool hop in between).
            var inbox = Channel.CreateUnbounded<ControlFrame>(new UnboundedChannelOptions { SingleReader = false, SingleWriter = true, AllowSynchronousContinuations = true });
            new Thread(() => Pump(channel, inbox.Writer, stopping)) { IsBackground = true, Name = "Puma control reader" }.Start();

            channel.Send(StartedFrame.Create(new ChildStartedMessage(Environment.ProcessId)));
            var ended = await options.Runner(start, runnable, channel, inbox.Reader, stopping.Token).ConfigureAwait(false);
            _finishing = true;
            channel.Send(EndedFrame.Create(ended));
            return ended.IsFailure ? ExitCodeFailed : 0;
        }
        catch (Exception e)
        {
            _finishing = true;
            var failed = ChildFailedMessage.From(e);
            try
            {
                // The parent logs the failure once, as one Error event with the exception: no stderr copy, which
                // the parent would turn into one Warning per line.
                channel.Send(ControlFrame.Create(ControlMessageKind.Failed, failed, WireJsonContext.Default.ChildFailedMessage));
            }
            catch (Exception)
            {
                // The control channel is gone: stderr is the last way to say why; the exit code still says failed.
                Console.Error.WriteLine(failed.Text);
            }

            return ExitCodeFailed;
        }
    }

    /// <summary>
    /// Reads the parent's frames on a thread of its own, blocking in the socket's read: answers Ping, cancels on Stop,
    /// forwards the rest; exits the process at end of file.
    /// </summary>
    private void Pump(ControlChannel channel, ChannelWriter<ControlFrame> inbox, CancellationTokenSource stopping)
    {
        try
        {
            while (channel.Read() is { } frame)
            {
                switch (frame.Kind)
                {
                    case ControlMessageKind.Ping:
                        channel.Send(frame);
                        break;
                    case ControlMessageKind.Stop:
                        inbox.TryWrite(frame);
                        try
                        {
                            stopping.Cancel();
                        }
                        catch (ObjectDisposedException)
                        {
                            // The run ended inside the write above (its source is disposed): nothing left to stop.
                        }
                        break;
                    default:
                        inbox.TryWrite(frame);
                        break;
                }
            }
        }
        catch (Exception e)
        {
            Console.Error.WriteLine($"Puma child host: the control channel failed: {e.Message}");
        }

        // End of file: the parent closed the channel or died. A child never outlives its parent. Once the
        // final Ended/Failed frame is on its way the parent may close the channel: keep that exit code.
        if (_finishing)
            return;

        Environment.Exit(ExitCodeControlClosed);
    }

    private static void ReportUnhandled(ControlChannel channel, object exception)
    {
        try
        {
            var failed = exception is Exception e
                ? ChildFailedMessage.From(e)
                : new ChildFailedMessage(exception.GetType().FullName ?? "?", exception.ToString() ?? "", null, exception.ToString() ?? "", Environment.ProcessId);
            // Blocking like every send of the child, on another thread so that a full socket cannot hold the process.
            var frame = ControlFrame.Create(ControlMessageKind.Failed, failed, WireJsonContext.Default.ChildFailedMessage);
            Task.Run(() => channel.Send(frame)).Wait(TimeSpan.FromSeconds(2));
        }
        catch (Exception)
        {
            // Best effort: the process is going down anyway.
        }
    }

    /// <summary>
    /// The default runner: sends a Status frame with the runnable's configuration captured again in the child
    /// (ports mapped back to their bindings, so the parent can check what was rebuilt; properties for which
    /// <paramref name="excludeProperty"/> is true left out), then awaits the runnable's public
    /// <c>RunAsync(CancellationToken)</c> or <c>RunAsync()</c> when it has one.
    /// </summary>
    public static ChildRunner DefaultRunner(Func<PropertyInfo, bool>? excludeProperty) =>
        (start, runnable, channel, inbox, stopping) => RunDefaultAsync(runnable, channel, excludeProperty, stopping);

    private static async Task<ChildEndedMessage> RunDefaultAsync(object runnable, ControlChannel channel, Func<PropertyInfo, bool>? excludeProperty, CancellationToken stopping)
    {
        var echo = RunnableConfiguration.Capture(
            runnable,
            (property, value) => value is IPortPlaceholder placeholder
                ? placeholder.Binding
                : throw new InvalidOperationException($"Port {property.Name} holds a {value?.GetType().Name ?? "null"}, not a placeholder."),
            excludeProperty);
        channel.Send(ControlFrame.Create(ControlMessageKind.Status, echo, WireJsonContext.Default.RunnableConfiguration));

        var type = runnable.GetType();
        var run = type.GetMethod("RunAsync", BindingFlags.Public | BindingFlags.Instance, [typeof(CancellationToken)]);
        object?[] arguments = [stopping];
        if (run is null)
        {
            run = type.GetMethod("RunAsync", BindingFlags.Public | BindingFlags.Instance, Type.EmptyTypes);
            arguments = [];
        }

        if (run is not null && run.Invoke(runnable, BindingFlags.DoNotWrapExceptions, null, arguments, null) is Task task)
            await task.ConfigureAwait(false);

        return ChildEndedMessage.Completed;
    }
}
