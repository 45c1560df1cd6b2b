using System.Threading.Channels;
using Puma.Runnables;

namespace Puma.Runtime.Tests.Runnables;

public sealed record Crash(string LastWords);

public sealed record Print(string Line);

public sealed record Point(int X, int Y);

/// <summary>Logs structured events, prints raw lines, and crashes hard on request.</summary>
public sealed class Chatty : Runnable
{
    protected override void Configure(Handlers on) => on
        .Command<Print>(p =>
        {
            Console.Out.WriteLine("stdout: " + p.Line);
            Console.Out.Flush();
            Console.Error.WriteLine("stderr: " + p.Line);
        })
        .Command<Crash>(c =>
        {
            Log.Warning(new InvalidOperationException("inner trouble"), "Last words {Words} at {@Where} with {Count} items in {Tags}",
                c.LastWords, new Point(3, 4), 42, new[] { "a", "b" });
            Environment.FailFast("Chatty crashes on purpose");
        })
        .Request<GetState, int>(_ => Environment.ProcessId);
}

/// <summary>Has a property that cannot travel to a child process.</summary>
public sealed class Unplaceable : Runnable
{
    public Func<int>? Callback { get; set; }
}

/// <summary>Has a plain in-process channel as a port.</summary>
public sealed class PlainPorted : Runnable
{
    public ChannelReader<int>? Input { get; set; }
}

/// <summary>Cannot be built in a child: its constructor throws when the entry assembly is the child host.</summary>
public sealed class FailsToBuildInAChild : Runnable
{
    /// <summary>The message of the constructor's exception in a child.</summary>
    public const string Message = "this runnable cannot be built in the child host";

    /// <summary>Throws <see cref="InvalidOperationException"/> inside Puma's child host only.</summary>
    public FailsToBuildInAChild()
    {
        if (System.Reflection.Assembly.GetEntryAssembly()?.GetName().Name == "Puma.Runtime.Host")
            throw new InvalidOperationException(Message);
    }
}
