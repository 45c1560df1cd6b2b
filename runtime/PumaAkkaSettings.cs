using Akka.Configuration;
using Puma.Runtime.Actors;

namespace Puma.Runtime;

/// <summary>
/// The Akka configuration Puma gives the ActorSystem it creates, for applications that bring their own
/// (<see cref="PumaOptions.ActorSystem"/>): merge it into your system's configuration (first, so that it wins) and
/// Akka's own log events about a runtime's actors (supervision, dead letters) reach that runtime's
/// <see cref="PumaOptions.Logger"/> tagged with the runnable and the process id, other Akka events reach Serilog's
/// <c>Log.Logger</c>, log calls take Serilog message templates (Akka.Logger.Serilog's formatter), Akka prints nothing
/// on the console, and every dead letter is logged. Akka.Hosting users call <c>WithPuma()</c> (Puma.Hosting) instead.
/// </summary>
public static class PumaAkkaSettings
{
    /// <summary>The settings, as HOCON.</summary>
    public static Config Configuration { get; } = ConfigurationFactory.ParseString($$"""
        akka {
          stdout-loglevel = OFF
          stdout-logger-class = "{{typeof(SilentStandardOutLogger).AssemblyQualifiedName}}"
          loglevel = INFO
          loggers = ["{{typeof(AkkaLogRouter).AssemblyQualifiedName}}"]
          logger-formatter = "Akka.Logger.Serilog.SerilogLogMessageFormatter, Akka.Logger.Serilog"
          log-config-on-start = off
          log-dead-letters = on
          log-dead-letters-during-shutdown = off
          suppress-json-serializer-warning = on
        }
        """);
}
