namespace Puma.Hosting.Tests;

public sealed class SampleTests
{
    [Fact]
    public async Task The_sample_prints_its_summary_and_exits_0_leaving_no_child()
    {
        await using var sample = SampleProcess.Start();

        Assert.Equal(0, await sample.ExitCodeAsync());

        Assert.Contains("HostedPipeline: 100000 items, sum of squares 333338333350000", sample.Lines); // Pipeline:Count in appsettings.json
        var child = await sample.SquareChildPidAsync();
        Assert.False(ProcessProbe.IsAlive(child), $"child {child} outlived the sample{Environment.NewLine}{sample.Output}");
    }

    [Fact]
    public async Task The_command_line_overrides_appsettings()
    {
        await using var sample = SampleProcess.Start("--Pipeline:Count=1000", "--Puma:StatusCapacity=16");

        Assert.Equal(0, await sample.ExitCodeAsync());

        Assert.Contains("HostedPipeline: 1000 items, sum of squares 333833500", sample.Lines);
    }

    [Fact]
    public async Task A_bad_Puma_setting_makes_the_sample_exit_2_naming_it()
    {
        await using var sample = SampleProcess.Start("--Puma:FailurePolicy=Explode");

        Assert.Equal(2, await sample.ExitCodeAsync());

        Assert.Contains(sample.Lines, l => l.StartsWith("stderr: HostedPipeline could not run: ", StringComparison.Ordinal)
            && l.Contains("Puma:FailurePolicy is 'Explode': it is not a failure policy", StringComparison.Ordinal));
        Assert.DoesNotContain(sample.Lines, l => l.StartsWith("HostedPipeline: ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task SIGTERM_stops_the_sample_with_its_child_and_exit_code_0()
    {
        if (!OperatingSystem.IsLinux() && !OperatingSystem.IsMacOS())
            return;
        await using var sample = SampleProcess.Start("--Pipeline:Count=2000000000"); // far more than it can do before the signal
        var child = await sample.SquareChildPidAsync();
        Assert.True(ProcessProbe.IsAlive(child));

        sample.Terminate();

        Assert.Equal(0, await sample.ExitCodeAsync());
        Assert.DoesNotContain(sample.Lines, l => l.StartsWith("HostedPipeline: ", StringComparison.Ordinal)); // not done: no summary
        Assert.False(ProcessProbe.IsAlive(child), $"child {child} outlived the sample{Environment.NewLine}{sample.Output}");
    }
}
