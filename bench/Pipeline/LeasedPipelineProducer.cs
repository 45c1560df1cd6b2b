using System.Diagnostics;
using System.Threading.Channels;
using Puma.Buffers;
using Puma.Runnables;

namespace Puma.Bench.Pipeline;

/// <summary>
/// The source stage of the leased case: on <see cref="StartProducing"/>, claims each frame in its
/// output (in the ring across processes), writes the header and copies the payload template into it
/// (the one copy), and commits.
/// </summary>
public sealed class LeasedPipelineProducer : Runnable
{
    private TaskCompletionSource _start = new();

    /// <summary>The output port.</summary>
    public required ChannelWriter<byte[]> Output { get; init; }

    /// <summary>Frames to write.</summary>
    public long Count { get; set; }

    /// <summary>Payload bytes per frame.</summary>
    public int PayloadBytes { get; set; }

    /// <inheritdoc/>
    protected override void Configure(Handlers on)
    {
        _start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        on.Command<StartProducing>(_ => _start.TrySetResult())
          .Request<StageReady, bool>(_ => true);
    }

    /// <inheritdoc/>
    protected override async Task RunAsync(CancellationToken cancellationToken)
    {
        var payload = new byte[PayloadBytes];
        Random.Shared.NextBytes(payload);
        await _start.Task.WaitAsync(cancellationToken);
        var output = Output;
        for (long seq = 0; seq < Count; seq++)
        {
            var frame = await output.ClaimAsync(LeasedFrame.HeaderBytes + PayloadBytes, cancellationToken);
            LeasedFrame.WriteHeader(frame.Span, seq, Stopwatch.GetTimestamp());
            payload.CopyTo(frame.Span[LeasedFrame.HeaderBytes..]);
            output.Commit();
        }
    }
}
