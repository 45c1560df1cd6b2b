using System.Threading.Channels;
using Puma.Runtime.Wire;

namespace Puma.Runtime.Child;

/// <summary>
/// Runs a rebuilt runnable in the child and returns how its run ended. <see cref="ChildHost"/> has already sent
/// <see cref="ControlMessageKind.Started"/>; it sends the returned message as <see cref="ControlMessageKind.Ended"/>,
/// and <see cref="ControlMessageKind.Failed"/> when the task faults.
/// </summary>
/// <param name="start">The start message (name, log level, configuration and buffer bindings).</param>
/// <param name="runnable">The runnable, rebuilt from its configuration with its ports attached.</param>
/// <param name="channel">The control channel, for sending Status, Reply, Log, ... frames.</param>
/// <param name="inbox">Frames from the parent other than Ping (answered by the host); Stop is delivered here too.</param>
/// <param name="stopping">Cancelled when the parent sends Stop.</param>
internal delegate Task<ChildEndedMessage> ChildRunner(
    ChildStartMessage start,
    object runnable,
    ControlChannel channel,
    ChannelReader<ControlFrame> inbox,
    CancellationToken stopping);
