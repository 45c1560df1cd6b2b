namespace Puma.Logging;

/// <summary>The standard stream of a child process a captured line came from.</summary>
internal enum ChildOutputStream
{
    /// <summary>Standard output; logged as <c>"stdout"</c> at Information.</summary>
    Stdout,

    /// <summary>Standard error; logged as <c>"stderr"</c> at Warning.</summary>
    Stderr,
}
