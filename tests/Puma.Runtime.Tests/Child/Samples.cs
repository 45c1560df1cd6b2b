using System.Threading.Channels;
using Puma.Runtime.Child;
using Puma.Runtime.Parent;
using Puma.Runtime.Tests.Parent;

namespace Puma.Runtime.Tests.Child;

// Runnable-like sample classes: public, so that a child host can rebuild them from this assembly.

public enum SampleMode
{
    Fast,
    Careful,
}

public sealed record SampleOptions(string Label, double[] Weights);

public sealed class EchoSample
{
    public required string Name { get; init; }

    public double Gain { get; set; } = 2;

    public int[] Taps { get; set; } = [];

    public SampleMode Mode { get; init; }

    public SampleOptions? Options { get; set; }

    public string? Missing { get; set; } = "default";

    public Dictionary<string, int> Limits { get; set; } = [];

    public ChannelReader<int>? Input { get; init; }

    public required ChannelWriter<string> Output { get; init; }

    public int ReadOnlyValue => 42;

    public int PrivateSet { get; private set; }

    public Task RunAsync(CancellationToken cancellationToken)
    {
        Console.WriteLine($"echo {Name}");
        // Puma's assemblies and this one must be loaded once, in the default context, so that types are shared.
        var runtimeCopies = AppDomain.CurrentDomain.GetAssemblies().Count(a => a.GetName().Name == "Puma.Runtime");
        var sampleCopies = AppDomain.CurrentDomain.GetAssemblies().Count(a => a.GetName().Name == GetType().Assembly.GetName().Name);
        var shared = System.Runtime.Loader.AssemblyLoadContext.GetLoadContext(GetType().Assembly) == System.Runtime.Loader.AssemblyLoadContext.Default
            && System.Runtime.Loader.AssemblyLoadContext.GetLoadContext(typeof(ChildHost).Assembly) == System.Runtime.Loader.AssemblyLoadContext.Default;
        Console.WriteLine($"copies {runtimeCopies} {sampleCopies} {shared}");
        Console.Error.WriteLine($"echo-err {Name}");
        return Task.CompletedTask;
    }
}

public sealed class FailingSample
{
    public string Reason { get; set; } = "sample failure";

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        await Task.Yield();
        ThrowDeep();
    }

    private void ThrowDeep() => throw new InvalidOperationException(Reason);
}

public sealed class FailFastSample
{
    public void RunAsync()
    {
        Console.Out.WriteLine("last words out");
        Console.Error.WriteLine("last words err");
        Environment.FailFast("sample fail-fast");
    }
}

public sealed class ThreadCrashSample
{
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var thread = new Thread(() => throw new ApplicationException("crash on a worker thread"));
        thread.Start();
        await Task.Delay(Timeout.Infinite, cancellationToken);
    }
}

public sealed class WaitingSample
{
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        try
        {
            await Task.Delay(Timeout.Infinite, cancellationToken);
        }
        catch (OperationCanceledException)
        {
            Console.WriteLine("stopping");
        }
    }
}

/// <summary>Starts a grandchild (a <see cref="WaitingSample"/>), prints its pid and waits forever.</summary>
public sealed class SpawningSample
{
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var grandchild = await ChildProcess.StartAsync(new ChildProcessOptions());
        await grandchild.Channel.SendAsync(ChildHarness.StartFrame(new WaitingSample()));
        var started = await grandchild.Channel.ReadAsync();
        Console.WriteLine($"grandchild {grandchild.Pid} {started?.Kind}");
        await Task.Delay(Timeout.Infinite, cancellationToken);
        GC.KeepAlive(grandchild);
    }
}
