namespace Puma.Runtime.Map;

/// <summary>Why the workers of a map stop claiming chunks before the input is exhausted (a word in the control block).</summary>
internal enum MapStop
{
    /// <summary>Not stopped.</summary>
    None = 0,

    /// <summary>The caller cancelled the map.</summary>
    Cancelled = 1,

    /// <summary>A worker failed (its kernel threw, or its process died).</summary>
    Failed = 2,
}
