namespace Puma.Bench.Harness;

/// <summary>
/// Keeps a child process from outliving its parent or its time budget: the process exits (3) when
/// its stdin, the lifeline the parent holds, reaches end of file, and (4) after a deadline.
/// </summary>
internal static class ChildGuard
{
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
