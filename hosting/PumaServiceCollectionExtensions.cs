using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Puma.Runtime;

namespace Puma.Hosting;

/// <summary>Registers a Puma runtime in a .NET Generic Host (<c>Host.CreateApplicationBuilder</c>, ASP.NET Core, ...).</summary>
public static class PumaServiceCollectionExtensions
{
    /// <summary>
    /// Registers a <see cref="PumaRuntime"/> singleton built from <paramref name="configure"/> and options bound from
    /// the host configuration's section <c>"Puma"</c>, and a hosted service that starts the runtime with the host
    /// and stops and disposes it with the host.
    /// </summary>
    /// <param name="services">The host's services.</param>
    /// <param name="configure">Declares the buffers and runnables (<see cref="PumaBuilder.Configure"/>) and options.</param>
    /// <returns><paramref name="services"/>.</returns>
    /// <remarks>
    /// <para>Also registered: the <see cref="PumaOptions"/> the runtime is built with, and a <see cref="PumaHostedRun"/>
    /// that tells how the runtime ended.</para>
    /// <para>The runtime logs to the host's Serilog logger when one is registered as <c>Serilog.ILogger</c>
    /// (Serilog.Extensions.Hosting's <c>AddSerilog(logger)</c> or <c>AddSerilog(configure)</c> do that), else to
    /// Serilog's static <c>Log.Logger</c>.</para>
    /// <para>When the runtime ends on its own, the host stops: after a failure with exit code 1
    /// (<see cref="Environment.ExitCode"/>), after a normal end when <see cref="PumaHostingOptions.StopHostWhenDone"/>
    /// is true (the default).</para>
    /// </remarks>
    /// <exception cref="InvalidOperationException"><c>AddPuma</c> was already called on these services.</exception>
    public static IServiceCollection AddPuma(this IServiceCollection services, Action<PumaBuilder> configure) =>
        AddPuma(services, configure, options => options.BindConfiguration(PumaHostingOptions.SectionName, RejectUnknownKeys));

    /// <summary>
    /// Registers a Puma runtime like <see cref="AddPuma(IServiceCollection, Action{PumaBuilder})"/>, with its options
    /// bound from <paramref name="configuration"/> (for example <c>builder.Configuration.GetSection("Puma")</c>).
    /// </summary>
    /// <param name="services">The host's services.</param>
    /// <param name="configuration">The configuration section whose keys are <see cref="PumaHostingOptions"/> properties.</param>
    /// <param name="configure">Declares the buffers and runnables (<see cref="PumaBuilder.Configure"/>) and options.</param>
    /// <returns><paramref name="services"/>.</returns>
    /// <exception cref="InvalidOperationException"><c>AddPuma</c> was already called on these services.</exception>
    public static IServiceCollection AddPuma(this IServiceCollection services, IConfiguration configuration, Action<PumaBuilder> configure)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        return AddPuma(services, configure, options => options.Bind(configuration, RejectUnknownKeys));
    }

    private static IServiceCollection AddPuma(IServiceCollection services, Action<PumaBuilder> configure, Action<OptionsBuilder<PumaHostingOptions>> bind)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configure);
        if (services.Any(d => d.ServiceType == typeof(PumaRuntime)))
            throw new InvalidOperationException("AddPuma was already called on these services: a host has one Puma runtime.");

        var builder = new PumaBuilder(services);
        configure(builder); // options set in code first: the configuration bound below overrides them
        var options = services.AddOptions<PumaHostingOptions>();
        bind(options);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<PumaHostingOptions>, PumaHostingOptionsValidator>());
        options.ValidateOnStart();

        services.AddSingleton(PumaOptionsFactory.Create);
        services.AddSingleton(sp => CreateRuntime(builder, sp));
        services.AddSingleton(_ => new PumaHostedRun());
        services.AddHostedService<PumaHostedService>();
        return services;
    }

    private static PumaRuntime CreateRuntime(PumaBuilder builder, IServiceProvider services)
    {
        var runtime = new PumaRuntime(services.GetRequiredService<PumaOptions>());
        try
        {
            builder.BuildGraph(runtime, services);
            return runtime;
        }
        catch
        {
            runtime.DisposeAsync().AsTask().GetAwaiter().GetResult(); // not started: nothing to wait for
            throw;
        }
    }

    private static void RejectUnknownKeys(BinderOptions binder) => binder.ErrorOnUnknownConfiguration = true;
}
