namespace Puma.Runtime.Actors;

/// <summary>
/// Actor names of runnables: the runnable's name escaped as a URI component (an actor name allows letters,
/// digits and a few marks; anything else, spaces and slashes included, is percent-encoded), so any runnable name
/// makes a valid, unique actor name and the runnable's name can be read back from an actor path.
/// </summary>
internal static class ActorNames
{
    /// <summary>The actor name of the runnable <paramref name="runnableName"/>.</summary>
    public static string ForRunnable(string runnableName) => Uri.EscapeDataString(runnableName);

    /// <summary>The runnable's name read back from its actor name.</summary>
    public static string ToRunnableName(string actorName) => Uri.UnescapeDataString(actorName);
}
