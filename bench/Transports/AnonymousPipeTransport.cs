using System.IO.Pipes;

namespace Puma.Bench.Transports;

/// <summary>
/// Two anonymous pipes (parent to child, child to parent) whose client handles the child
/// inherits; the child opens them from the handle numbers passed on its command line.
/// <c>pipe</c> batches writes in 64 KiB; <c>pipe-unbatched</c> makes one write call per message
/// (how most code uses a pipe, and the pipe figure the shared-memory issue's targets refer to).
/// </summary>
internal sealed class AnonymousPipeTransport(bool batched = true) : ITransport
{
    /// <inheritdoc/>
    public string Name => batched ? "pipe" : "pipe-unbatched";

    /// <inheritdoc/>
    public IPendingLink Listen(int messageSize) => new Pending(messageSize, batched);

    /// <inheritdoc/>
    public TransportLink Connect(string argument, int messageSize)
    {
        var handles = argument.Split(',');
        if (handles.Length != 2) throw new ArgumentException($"pipe argument '{argument}' is not 'in,out'");
        var input = new AnonymousPipeClientStream(PipeDirection.In, handles[0]);
        var output = new AnonymousPipeClientStream(PipeDirection.Out, handles[1]);
        return new TransportLink(new StreamMessageWriter(output, messageSize), new StreamMessageReader(input, messageSize));
    }

    private sealed class Pending(int messageSize, bool batched) : IPendingLink
    {
        private readonly AnonymousPipeServerStream _toChild = new(PipeDirection.Out, HandleInheritability.Inheritable);
        private readonly AnonymousPipeServerStream _fromChild = new(PipeDirection.In, HandleInheritability.Inheritable);
        private bool _accepted;

        public string ChildArgument => $"{_toChild.GetClientHandleAsString()},{_fromChild.GetClientHandleAsString()}";

        public void ChildStarted()
        {
            // The child holds its own copies now; ours must go so that end of stream is seen.
            _toChild.DisposeLocalCopyOfClientHandle();
            _fromChild.DisposeLocalCopyOfClientHandle();
        }

        public TransportLink Accept(TimeSpan timeout, CancellationToken cancel)
        {
            _accepted = true;
            return new TransportLink(new StreamMessageWriter(_toChild, messageSize, batched), new StreamMessageReader(_fromChild, messageSize));
        }

        public void Dispose()
        {
            if (_accepted) return;
            _toChild.Dispose();
            _fromChild.Dispose();
        }
    }
}
