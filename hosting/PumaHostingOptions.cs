namespace Puma.Hosting;

/// <summary>
/// The settings of a hosted Puma runtime, bound from the configuration section <see cref="SectionName"/>
/// (<c>appsettings.json</c>, environment variables <c>Puma__StopTimeout</c>, command line, ...).
/// </summary>
/// <remarks>
/// <para>Example <c>appsettings.json</c>:</para>
/// <code>
/// "Puma": {
///   "StopTimeout": "00:00:05",
///   "StatusCapacity": 4096,
///   "FailurePolicy": "Restart:3:00:00:10",
///   "StopHostWhenDone": true
/// }
/// </code>
/// <para>Values set in code with <see cref="PumaBuilder.ConfigureOptions"/> are defaults: the configuration
/// overrides them. A key in the section that is not a property here, a value that does not convert and a value
/// out of range fail when the runtime is built (at the latest when the host starts), naming the key and the value.</para>
/// </remarks>
public sealed class PumaHostingOptions
{
    /// <summary>The configuration section the options bind from: <c>"Puma"</c>.</summary>
    public const string SectionName = "Puma";

    /// <summary>
    /// How long a stop waits for the runnables before it abandons (threads) or kills (processes) what still runs:
    /// <c>PumaOptions.StopTimeout</c>. At least zero; default 5 s. The host's own shutdown timeout
    /// (<c>HostOptions.ShutdownTimeout</c>) cuts the graceful wait short when it is shorter.
    /// </summary>
    public TimeSpan StopTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How many unread status reports the runtime keeps before it drops the oldest: <c>PumaOptions.StatusCapacity</c>. At least 1; default 4096.</summary>
    public int StatusCapacity { get; set; } = 4096;

    /// <summary>
    /// The runtime-wide failure policy (<c>PumaOptions.FailurePolicy</c>), as text: <c>StopAll</c> (default),
    /// <c>Continue</c>, or <c>Restart:&lt;maxRestarts&gt;:&lt;window&gt;</c> with the window as a <see cref="TimeSpan"/>
    /// (<c>Restart:3:00:00:10</c> is 3 restarts within any 10 s). Keywords are case-insensitive. A runnable can
    /// still name its own policy in <c>runtime.Add</c>.
    /// </summary>
    public string FailurePolicy { get; set; } = "StopAll";

    /// <summary>
    /// Whether the host stops when every runnable has ended on its own (a pipeline that finishes its work). Default
    /// true: the application exits when its work is done. Set it to false for a service whose runnables may all end
    /// while the host keeps serving other things. A failure (<c>RunnableFailedException</c>) always stops the host,
    /// with exit code 1.
    /// </summary>
    public bool StopHostWhenDone { get; set; } = true;
}
