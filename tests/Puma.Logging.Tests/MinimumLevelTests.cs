using Serilog;
using Serilog.Core;
using Serilog.Events;

namespace Puma.Logging.Tests;

public sealed class MinimumLevelTests
{
    [Theory]
    [InlineData(LogEventLevel.Verbose)]
    [InlineData(LogEventLevel.Debug)]
    [InlineData(LogEventLevel.Information)]
    [InlineData(LogEventLevel.Warning)]
    [InlineData(LogEventLevel.Error)]
    [InlineData(LogEventLevel.Fatal)]
    public void Detects_the_configured_minimum(LogEventLevel level)
    {
        using var logger = new LoggerConfiguration().MinimumLevel.Is(level).CreateLogger();

        Assert.Equal(level, logger.MinimumLevelOf());
    }

    [Fact]
    public void Follows_a_level_switch_at_the_time_of_the_call()
    {
        var levelSwitch = new LoggingLevelSwitch(LogEventLevel.Error);
        using var logger = new LoggerConfiguration().MinimumLevel.ControlledBy(levelSwitch).CreateLogger();

        Assert.Equal(LogEventLevel.Error, logger.MinimumLevelOf());
        levelSwitch.MinimumLevel = LogEventLevel.Debug;
        Assert.Equal(LogEventLevel.Debug, logger.MinimumLevelOf());
    }

    [Fact]
    public void Nothing_enabled_gives_none_and_none_drops_everything()
    {
        Assert.Equal(PumaMinimumLevel.None, Logger.None.MinimumLevelOf());
        Assert.Equal(6, (int)PumaMinimumLevel.None);

        var (logger, sink) = CollectingSink.CreateLogger(PumaMinimumLevel.None);
        logger.Fatal("dropped");
        Assert.Empty(sink.Events);
        Assert.Equal(PumaMinimumLevel.None, logger.MinimumLevelOf());
    }

    [Fact]
    public void Child_configured_with_the_parents_level_filters_at_the_source()
    {
        using var parent = new LoggerConfiguration().MinimumLevel.Warning().CreateLogger();
        var shipped = new List<PortableLogEvent>();
        using var child = new LoggerConfiguration()
            .MinimumLevel.Is(parent.MinimumLevelOf())
            .WriteTo.PortableEvents(shipped.Add)
            .CreateLogger();

        child.Information("not shipped");
        child.Warning("shipped");

        Assert.Equal("shipped", Assert.Single(shipped).MessageTemplate);
    }
}
