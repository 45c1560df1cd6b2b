using System.Reflection;
using System.Runtime.InteropServices;
using Puma.Runnables;
using Puma.Runtime.Parent;
using Puma.Runtime.Wire;

namespace Puma.Runtime.Tests.Parent;

/// <summary>Starts samples in child hosts and collects their output.</summary>
internal static partial class ChildHarness
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);

    public static PortBinding Bind(PropertyInfo property, object? value)
    {
        Assert.True(RunnablePort.TryGetPortType(property.PropertyType, out var isInput, out var element));
        return new PortBinding("buffer-" + property.Name, isInput ? PortDirection.Reader : PortDirection.Writer, element.AssemblyQualifiedName!, isInput ? 1 : -1);
    }

    public static ChildStartMessage StartMessage(object runnable) =>
        ChildStartMessage.For(runnable, runnable.GetType().Name, Bind, "Debug");

    public static ControlFrame StartFrame(object runnable) =>
        Puma.Runtime.Wire.StartFrame.Create(StartMessage(runnable));

    public static async Task<RunningChild> StartAsync(object? runnable, IReadOnlyDictionary<string, string?>? environment = null)
    {
        var output = new OutputLines();
        var child = await ChildProcess.StartAsync(new ChildProcessOptions
        {
            StandardOutput = output.Out.Add,
            StandardError = output.Err.Add,
            Environment = environment,
        });
        if (runnable is not null)
            await child.Channel.SendAsync(StartFrame(runnable));

        return new RunningChild(child, output);
    }

    public static async Task<ControlFrame> ReadAsync(this ChildProcess child)
    {
        using var timeout = new CancellationTokenSource(Timeout);
        var frame = await child.Channel.ReadAsync(timeout.Token);
        Assert.True(frame is not null, "the control channel ended");
        return frame;
    }

    public static async Task<ControlFrame> ReadAsync(this ChildProcess child, ControlMessageKind expected)
    {
        var frame = await child.ReadAsync();
        if (frame.Kind != expected && frame.Kind == ControlMessageKind.Failed)
            Assert.Fail($"expected {expected}, the child failed: {frame.Read(WireJsonContext.Default.ChildFailedMessage).Text}");

        Assert.Equal(expected, frame.Kind);
        return frame;
    }

    public static bool IsAlive(int pid)
    {
        if (OperatingSystem.IsLinux())
        {
            string stat;
            try
            {
                stat = File.ReadAllText($"/proc/{pid}/stat");
            }
            catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException or IOException)
            {
                return false;
            }

            // pid (comm) state ...: a zombie (Z) or dead (X) process is gone for our purposes.
            var state = stat[(stat.LastIndexOf(')') + 2)..][0];
            return state is not ('Z' or 'X');
        }

        try
        {
            using var process = System.Diagnostics.Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    public static void KillPid(int pid) => _ = SendSignal(pid, 9);

    [LibraryImport("libc", EntryPoint = "kill")]
    private static partial int SendSignal(int pid, int signal);
}
