namespace Puma.Bench.Transports;

/// <summary>
/// A way to move fixed-size messages between the parent and a child process. The parent calls
/// <see cref="Listen"/>, passes <see cref="IPendingLink.ChildArgument"/> to the child, which calls
/// <see cref="Connect"/> with it; the parent then gets its ends from <see cref="IPendingLink.Accept"/>.
/// To add a transport: implement this, and register it in <see cref="TransportCatalog"/>.
/// </summary>
internal interface ITransport
{
    /// <summary>The name used on the command line and in the table (e.g. "pipe").</summary>
    string Name { get; }

    /// <summary>Parent side: creates the resources (pipes, listening socket, rings) for one child.</summary>
    /// <param name="messageSize">The size of every message in both directions.</param>
    IPendingLink Listen(int messageSize);

    /// <summary>Child side: attaches to what the parent created.</summary>
    /// <param name="argument">The parent's <see cref="IPendingLink.ChildArgument"/>.</param>
    /// <param name="messageSize">The size of every message in both directions.</param>
    TransportLink Connect(string argument, int messageSize);
}

/// <summary>The parent's side of a link whose child has not connected yet.</summary>
internal interface IPendingLink : IDisposable
{
    /// <summary>What the child needs to connect (handles, a path, a port, ring names).</summary>
    string ChildArgument { get; }

    /// <summary>Called right after the child process started (e.g. to close inherited handles).</summary>
    void ChildStarted();

    /// <summary>
    /// The parent's ends, once the child connected. Gives up with <see cref="TimeoutException"/>
    /// after <paramref name="timeout"/> and with <see cref="OperationCanceledException"/> when
    /// <paramref name="cancel"/> fires (the child exited). The returned link owns everything; disposing the pending
    /// link afterwards only removes leftovers (temp files).
    /// </summary>
    TransportLink Accept(TimeSpan timeout, CancellationToken cancel);
}

/// <summary>
/// A transport that delivers every message to several readers natively: the parent writes each
/// message once and every child receives it (a ring with broadcast reader slots). Cases with more
/// than one reader (<see cref="TransportCase.Readers"/>) use this when the transport implements it;
/// other transports fan out instead: one link per child, the parent writing each message to every link.
/// </summary>
internal interface IBroadcastTransport : ITransport
{
    /// <summary>Parent side: creates the resources for <paramref name="readers"/> children that each receive every message.</summary>
    /// <param name="messageSize">The size of every message.</param>
    /// <param name="readers">The number of children (reader slots).</param>
    IPendingBroadcast ListenBroadcast(int messageSize, int readers);

    /// <summary>Child side: attaches as one reader; the link's writer is <see cref="NoChannel"/> (there is no way back).</summary>
    /// <param name="argument">The parent's <see cref="IPendingBroadcast.ChildArgument"/> for this child.</param>
    /// <param name="messageSize">The size of every message.</param>
    TransportLink ConnectBroadcast(string argument, int messageSize);

    /// <summary>
    /// <paramref name="transport"/> as a native broadcast transport when <paramref name="case"/> has
    /// several readers and the transport supports it; null when the case runs over one link per child.
    /// </summary>
    static IBroadcastTransport? For(ITransport transport, TransportCase @case) =>
        @case.Readers > 1 ? transport as IBroadcastTransport : null;
}

/// <summary>The parent's side of a broadcast whose children have not attached yet.</summary>
internal interface IPendingBroadcast : IDisposable
{
    /// <summary>What child number <paramref name="reader"/> (0-based) needs to attach as its reader.</summary>
    string ChildArgument(int reader);

    /// <summary>
    /// The parent's end once every child has been started: a link whose writer reaches every reader
    /// (its reader is <see cref="NoChannel"/>). The link owns everything; its waits give up when any of
    /// <paramref name="childExited"/> fires, since a writer would otherwise wait for a slot whose child is gone.
    /// </summary>
    TransportLink Accept(IReadOnlyList<CancellationToken> childExited);
}
