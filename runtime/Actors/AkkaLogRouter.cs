using System.Collections.Concurrent;
using Akka.Actor;
using Akka.Dispatch;
using Akka.Event;
using Puma.Logging;
using Serilog.Events;

namespace Puma.Runtime.Actors;

/// <summary>
/// The Akka logger of Puma's shared <see cref="ActorSystem"/>: an event logged by an actor of a runtime (its
/// supervision, its runnables, a dead letter sent to one of them) goes to that runtime's
/// <see cref="PumaOptions.Logger"/>, tagged with the runnable (or "supervisor") and this process id, like every
/// Puma event; any other Akka event goes to Serilog's static <c>Log.Logger</c>, as Akka.Logger.Serilog's
/// <c>SerilogLogger</c> does. Messages are Serilog templates (the system uses Akka.Logger.Serilog's
/// <c>SerilogLogMessageFormatter</c>). Akka.Logger.Serilog's own logger writes only to the static logger, and a
/// process may hold several runtimes with different loggers: hence this router in its place.
/// </summary>
internal sealed class AkkaLogRouter : ActorBase, IRequiresMessageQueue<ILoggerMessageQueueSemantics>
{
    private static readonly ConcurrentDictionary<string, Serilog.ILogger> Routes = new(StringComparer.Ordinal);

    /// <summary>Sends the events of the actors under <paramref name="runtimePath"/> to <paramref name="logger"/>.</summary>
    public static void Register(ActorPath runtimePath, Serilog.ILogger logger) => Routes[runtimePath.ToString()] = logger;

    /// <summary>Stops routing the events of <paramref name="runtimePath"/>.</summary>
    public static void Unregister(ActorPath runtimePath) => Routes.TryRemove(runtimePath.ToString(), out _);

    /// <summary>The logger and runnable an event from <paramref name="logSource"/> belongs to.</summary>
    public static (Serilog.ILogger Logger, string? Runnable) Route(string logSource)
    {
        foreach ((var prefix, var logger) in Routes)
        {
            if (!logSource.StartsWith(prefix, StringComparison.Ordinal))
                continue;
            if (logSource.Length == prefix.Length)
                return (logger, "supervisor");
            if (logSource[prefix.Length] != '/')
                continue;
            var rest = logSource[(prefix.Length + 1)..];
            var end = rest.IndexOfAny(['/', '#', ' ', '(']); // a child actor, a uid, or Akka's " (akka://system)" suffix
            return (logger, ActorNames.ToRunnableName(end < 0 ? rest : rest[..end]));
        }

        return (Serilog.Log.Logger, null);
    }

    /// <inheritdoc />
    protected override void PreStart() => Context.System.EventStream.Subscribe(Self, typeof(SuppressedDeadLetter));

    /// <inheritdoc />
    protected override bool Receive(object message)
    {
        switch (message)
        {
            case Akka.Event.LogEvent logEvent:
                Write(logEvent);
                return true;
            case SuppressedDeadLetter { Message: RunnableCommand command }:
                WriteDropped(command);
                return true;
            case SuppressedDeadLetter:
                return true; // the supervisor's own messages to an actor that has stopped: nothing to tell
            case InitializeLogger:
                Sender.Tell(new LoggerInitialized());
                return true;
            default:
                return false;
        }
    }

    /// <summary>A command sent while its runnable ended reached the runnable's actor after it stopped: the same warning as any dropped command.</summary>
    private static void WriteDropped(RunnableCommand command)
    {
        var path = command.Recipient.Path.ToString();
        (var logger, var runnable) = Route(path);
        runnable ??= path;
        RunnableActor.LogDropped(logger.ForRunnable(runnable, Environment.ProcessId), runnable, command.Command,
            Puma.Runnables.RunnableNotRunningException.Ended(runnable).Message);
    }

    private static void Write(Akka.Event.LogEvent logEvent)
    {
        (var logger, var runnable) = Route(logEvent.LogSource);
        logger = runnable is null ? logger : logger.ForRunnable(runnable, Environment.ProcessId);
        logger = logger.ForContext("LogSource", logEvent.LogSource).ForContext("SourceContext", logEvent.LogClass?.FullName);
        var level = logEvent.LogLevel() switch
        {
            Akka.Event.LogLevel.DebugLevel => LogEventLevel.Debug,
            Akka.Event.LogLevel.InfoLevel => LogEventLevel.Information,
            Akka.Event.LogLevel.WarningLevel => LogEventLevel.Warning,
            _ => LogEventLevel.Error,
        };
        if (!logger.IsEnabled(level))
            return;

        if (logEvent.Message is LogMessage message)
            logger.Write(level, logEvent.Cause, message.Format, message.Parameters().ToArray());
        else
            logger.Write(level, logEvent.Cause, "{Message:l}", logEvent.Message);
    }
}
