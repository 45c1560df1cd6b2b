using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Puma.Runtime.Pipelines;

namespace Puma.Hosting;

/// <summary>A hosted runtime's pipeline taken from configuration (see <see cref="PipelineSpecConfiguration"/>).</summary>
public static class PumaBuilderPipelineExtensions
{
    /// <summary>
    /// Adds the pipeline described in the configuration section <paramref name="sectionName"/> to the hosted runtime:
    /// its buffers and runnables are created when the runtime is built, after the callbacks added before this one.
    /// </summary>
    /// <param name="builder">The Puma builder.</param>
    /// <param name="sectionName">The section; <c>"PumaPipeline"</c> by default.</param>
    /// <returns>The builder.</returns>
    /// <remarks>A section that is missing or does not bind, and a spec with problems, fail when the runtime is built (at the latest when the host starts) with a <see cref="PipelineSpecException"/> listing every problem.</remarks>
    public static PumaBuilder AddPipeline(this PumaBuilder builder, string sectionName = PipelineSpecConfiguration.DefaultSectionName)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(sectionName);
        return builder.Configure((runtime, services) =>
            runtime.AddPipeline(services.GetRequiredService<IConfiguration>().GetSection(sectionName).ToPipelineSpec()));
    }
}
