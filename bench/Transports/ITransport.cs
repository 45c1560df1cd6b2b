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
