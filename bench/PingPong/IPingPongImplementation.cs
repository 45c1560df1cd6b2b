namespace Puma.Bench.PingPong;

/// <summary>
/// One implementation measured by the <c>pingpong</c> suite (a column of its table). To add one
/// (like <see cref="PumaPingPong"/>), implement this and list it in
/// <see cref="PingPongSuite.Implementations"/>.
/// </summary>
internal interface IPingPongImplementation
{
    /// <summary>The name in the table.</summary>
    string Name { get; }

    /// <summary>
    /// Starts <paramref name="pairs"/> pairs of actors with <paramref name="inFlight"/> messages
    /// circulating in each pair; each actor handles at most <paramref name="batch"/> messages per
    /// turn before yielding. Returns at once; the actors run until the run is disposed.
    /// </summary>
    IPingPongRun Start(int pairs, int inFlight, int batch);
}

/// <summary>A running ping-pong: a live count of the messages handled, and stop on dispose.</summary>
internal interface IPingPongRun : IAsyncDisposable
{
    /// <summary>
    /// Messages handled so far by all actors (both directions: every receive counts), read
    /// while running; may lag by at most one turn per actor.
    /// </summary>
    long MessagesHandled { get; }
}
