using Akka.Event;

namespace Puma.Runtime.Actors;

/// <summary>
/// Akka's console logger replaced by one that prints nothing: Akka hands it the events still queued when a system's
/// loggers stop (a terminated clustered system logs its remoting shutdown then), whatever <c>stdout-loglevel</c> says.
/// Puma's events go to Serilog (<see cref="AkkaLogRouter"/>); an application's console is its own.
/// </summary>
internal sealed class SilentStandardOutLogger : MinimalLogger
{
    /// <inheritdoc />
    protected override void Log(object message)
    {
    }
}
