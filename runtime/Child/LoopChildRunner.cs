using System.Threading.Channels;
using Puma.Logging;
using Puma.Runnables;
using Puma.Runnables.Loop;
using Puma.Runtime.Wire;
using Serilog;
using Serilog.Events;

namespace Puma.Runtime.Child;

/// <summary>
/// The child side of process placement: runs the rebuilt runnable in the same actor loop as a thread
/// runnable, ships its log events and status to the parent, serves commands and requests from the
/// control channel, and returns how the loop ended (the host sends it as the Ended frame).
/// </summary>
/// <param name="releasePorts">Releases the runnable's ports when its loop ends; true when it failed (see <see cref="SharedMemoryPorts.Release"/>).</param>
/// <param name="other">Runs what is not a <see cref="Runnable"/> (the hosting tests' plain samples).</param>
internal sealed class LoopChildRunner(Action<Runnable, bool> releasePorts, ChildRunner other)
{
    /// <summary>Runs <paramref name="instance"/> in an actor loop and returns how the loop ended; a <see cref="ChildRunner"/>.</summary>
    public async Task<ChildEndedMessage> RunAsync(ChildStartMessage start, object instance, ControlChannel channel, ChannelReader<ControlFrame> inbox, CancellationToken stopping)
    {
        if (instance is not Runnable runnable)
            return await other(start, instance, channel, inbox, stopping).ConfigureAwait(false);
        runnable.Rename(start.RunnableName);

        var level = Enum.TryParse<LogEventLevel>(start.LogMinimumLevel, out var parsed) ? parsed : PumaMinimumLevel.None;
        using var shipping = level == PumaMinimumLevel.None ? null : new LoggerConfiguration()
            .MinimumLevel.Is(level)
            .WriteTo.Sink(new PortableLogEventSink(e => SendNow(channel, ControlMessageKind.Log, PortableLogEventJson.SerializeToUtf8Bytes(e))))
            .CreateLogger();
        var logger = (shipping ?? Serilog.Core.Logger.None).ForRunnable(start.RunnableName);
        var counters = Metrics.ChildMetrics.Attach(start.MetricsSegment, runnable, logger);
        var loop = new RunnableLoop(runnable, Placement.Process, start.RestartCount,
            status => SendNow(channel, StatusFrame.Create(status, DateTimeOffset.Now)),
            logger, counters);
        foreach (var type in loop.CommandTypes.Concat(loop.RequestTypes))
            WireTypes.Register(type);
        SendNow(channel, ReadyFrame.Create(new ChildReadyMessage(loop.CommandTypes.Select(WireTypes.NameText).ToArray(), loop.RequestTypes.Select(WireTypes.NameText).ToArray())));

        using var onStop = stopping.Register(loop.Stop);
        var run = loop.RunAsync();
        // Started here, not on the thread pool: it runs until the inbox is empty, then the control reader's thread runs
        // it on as frames arrive (the inbox continues synchronously), so a request waits for no pool thread.
        _ = PumpAsync(loop, channel, inbox);
        var outcome = await run.ConfigureAwait(false);

        releasePorts(runnable, outcome.Kind == LoopOutcomeKind.Failed);
        return new ChildEndedMessage(outcome.Kind.ToString(), outcome.Error is null ? null : PortableException.FromException(outcome.Error));
    }

    private static async Task PumpAsync(RunnableLoop loop, ControlChannel channel, ChannelReader<ControlFrame> inbox)
    {
        await foreach (var frame in inbox.ReadAllAsync().ConfigureAwait(false))
        {
            switch (frame.Kind)
            {
                case ControlMessageKind.Command:
                    var command = MessageFrame.Read(frame);
                    try
                    {
                        loop.Send(command.Value);
                    }
                    catch (InvalidOperationException)
                    {
                        // The loop has ended: like a thread runnable, it takes no more commands.
                    }
                    break;
                case ControlMessageKind.Request:
                    _ = AnswerAsync(loop, channel, MessageFrame.Read(frame));
                    break;
                case ControlMessageKind.Stop:
                    loop.Stop();
                    break;
            }
        }
    }

    /// <summary>Asks the loop and writes the reply; the write completes synchronously when the socket has room.</summary>
    private static async Task AnswerAsync(RunnableLoop loop, ControlChannel channel, WireMessage request)
    {
        ControlFrame reply;
        try
        {
            var value = await loop.AskAsync(request.Value, CancellationToken.None).ConfigureAwait(false);
            reply = ReplyFrame.Create(request.Id, value);
        }
        catch (Exception e)
        {
            reply = ReplyFrame.Failed(request.Id, PortableException.FromException(e));
        }
        try
        {
            channel.Send(reply);
        }
        catch (Exception)
        {
            // The parent is gone.
        }
    }

    private static void SendNow(ControlChannel channel, ControlMessageKind kind, byte[] payload) =>
        SendNow(channel, new ControlFrame(kind, payload));

    /// <summary>Writes a frame before returning, so that what was logged or reported just before a crash is not lost.</summary>
    private static void SendNow(ControlChannel channel, ControlFrame frame)
    {
        try
        {
            channel.Send(frame);
        }
        catch (Exception)
        {
            // The parent is gone: the child is about to exit with the control channel.
        }
    }
}
