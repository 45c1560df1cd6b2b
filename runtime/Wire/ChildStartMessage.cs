namespace Puma.Runtime.Wire;

/// <summary>Payload of the <see cref="ControlMessageKind.Start"/> frame: what the child runs.</summary>
/// <param name="AssemblyPath">Full path of the assembly that defines the runnable type.</param>
/// <param name="TypeName">Full name of the runnable type in that assembly.</param>
/// <param name="RunnableName">The runnable's name in the runtime (for logs and errors).</param>
/// <param name="Configuration">The captured configuration; its <see cref="RunnableConfiguration.Ports"/> are the buffer bindings.</param>
/// <param name="LogMinimumLevel">The parent's minimum log level (a Serilog level name), applied at the source.</param>
/// <param name="ParentBaseDirectory">The parent's application directory, probed for the runnable's dependencies.</param>
internal sealed record ChildStartMessage(
    string AssemblyPath,
    string TypeName,
    string RunnableName,
    RunnableConfiguration Configuration,
    string LogMinimumLevel,
    string ParentBaseDirectory)
{
    /// <summary>How many times the runnable was restarted before this run.</summary>
    public int RestartCount { get; init; }

    /// <summary>
    /// The full name of the assembly at <see cref="AssemblyPath"/>, as the parent loaded it; null: the child reads it
    /// from the file (which costs a fresh child a metadata reader, milliseconds of its start).
    /// </summary>
    public string? AssemblyName { get; init; }

    /// <summary>
    /// The runnable type as a <see cref="MetadataReference"/> (its text form), so the child finds it without parsing
    /// <see cref="TypeName"/>; null for a type a token cannot name (the child uses the name).
    /// </summary>
    public string? TypeReference { get; init; }

    /// <summary>The shared-memory segment the child counts the runnable's metrics in; null: not counted.</summary>
    public string? MetricsSegment { get; init; }

    /// <summary>
    /// Builds the start message for <paramref name="runnable"/>: checks that its type can be loaded by path in
    /// a child and captures its configuration (see <see cref="RunnableConfiguration.Capture"/>).
    /// </summary>
    public static ChildStartMessage For(
        object runnable,
        string runnableName,
        Func<System.Reflection.PropertyInfo, object?, PortBinding> bindPort,
        string logMinimumLevel = "Information",
        Func<System.Reflection.PropertyInfo, bool>? excludeProperty = null)
    {
        ArgumentNullException.ThrowIfNull(runnable);
        var type = runnable.GetType();
        var configuration = RunnableConfiguration.Capture(runnable, bindPort, excludeProperty);
        var location = type.Assembly.IsDynamic ? "" : type.Assembly.Location;
        if (string.IsNullOrEmpty(location))
        {
            throw new RunnablePlacementException(type.FullName ?? type.Name, null,
                $"its assembly {type.Assembly.GetName().Name} has no file on disk (dynamic, or bundled in a single-file app), so a child process cannot load it.");
        }

        return new ChildStartMessage(location, type.FullName!, runnableName, configuration, logMinimumLevel, AppContext.BaseDirectory)
        {
            AssemblyName = type.Assembly.FullName,
            TypeReference = MetadataReference.Of(type)?.ToString(),
        };
    }
}
