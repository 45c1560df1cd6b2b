using Akka.Hosting;
using Puma.Runtime;

namespace Puma.Hosting;

/// <summary>Akka.Hosting integration: the host's ActorSystem carries Puma's supervisor.</summary>
public static class PumaAkkaHostingExtensions
{
    /// <summary>
    /// Prepares the host's ActorSystem (from <c>services.AddAkka(...)</c>) for Puma: it gets
    /// <see cref="PumaAkkaSettings.Configuration"/> (Akka's events about a runtime's actors go to that runtime's
    /// logger, nothing on the console, every dead letter logged), ahead of the rest of its configuration. With or
    /// without it, a runtime added by <see cref="PumaServiceCollectionExtensions.AddPuma(Microsoft.Extensions.DependencyInjection.IServiceCollection, System.Action{PumaBuilder})"/>
    /// runs its actors in the host's ActorSystem when one is registered; Akka code then reaches a runnable with
    /// <see cref="PumaRuntime.GetActorRef"/>.
    /// </summary>
    /// <param name="builder">The Akka.Hosting builder.</param>
    /// <returns>The builder.</returns>
    public static AkkaConfigurationBuilder WithPuma(this AkkaConfigurationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.AddHocon(PumaAkkaSettings.Configuration, HoconAddMode.Prepend);
    }
}
