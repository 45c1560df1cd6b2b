namespace Puma.Bench.Harness;

/// <summary>
/// Keeps a child process from outliving its parent or its time budget: the process exits (3) when
/// its stdin, the lifeline the parent holds, reaches end of file, and (4) after a deadline.
/// </summary>
internal static class ChildGuard
{
    /// <summary>
    /// The common shape of a child entry point: checks the argument count (usage on stderr, 64),
    /// starts the guard with the deadline in the last argument, runs <paramref name="body"/> and
    /// turns an exception into an "error" report on stdout (exit code 2).
    /// </summary>
    /// <param name="args">The child's arguments; the last one is MAX_SECONDS.</param>
    /// <param name="argumentCount">How many arguments the child takes.</param>
    /// <param name="usage">The usage line printed when the count is wrong.</param>
    /// <param name="body">The child's work; returns the exit code.</param>
    public static int Run(ReadOnlySpan<string> args, int argumentCount, string usage, Func<string[], int> body)
    {
        if (args.Length != argumentCount)
        {
            Console.Error.WriteLine($"usage: {usage}");
            return 64;
        }
        Start(double.Parse(args[^1], System.Globalization.CultureInfo.InvariantCulture));
        try
        {
            return body(args.ToArray());
        }
        catch (Exception e)
        {
            new ChildReport { Type = "error", Message = $"{e.GetType().Name}: {e.Message}" }.Send();
            return 2;
        }
    }

    /// <summary>Starts the lifeline and deadline threads (background threads).</summary>
    /// <param name="maxSeconds">The deadline, in seconds from now.</param>
    public static void Start(double maxSeconds)
    {
        StartLifeline();
        StartDeadline(maxSeconds);
    }

    private static void StartLifeline()
    {
        var t = new Thread(() =>
        {
            try
            {
                using var stdin = Console.OpenStandardInput();
                var buf = new byte[64];
                while (stdin.Read(buf, 0, buf.Length) > 0) { }
            }
            catch (IOException) { }
            Environment.Exit(3);
        })
        { IsBackground = true, Name = "lifeline" };
        t.Start();
    }

    private static void StartDeadline(double seconds)
    {
        var t = new Thread(() =>
        {
            Thread.Sleep(TimeSpan.FromSeconds(seconds));
            Console.Error.WriteLine($"child: still running after {seconds:0}s, exiting");
            Environment.Exit(4);
        })
        { IsBackground = true, Name = "deadline" };
        t.Start();
    }
}
