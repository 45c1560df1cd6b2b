namespace Puma.Bench.Harness;

/// <summary>A suite with command-line options of its own, besides the shared <see cref="CliOptions"/>.</summary>
internal interface IConfigurableSuite : ISuite
{
    /// <summary>
    /// Takes the arguments <see cref="CliOptions"/> did not know (<see cref="CliOptions.SuiteArguments"/>),
    /// before <see cref="ISuite.Run"/>; throws <see cref="ArgumentException"/> on bad input.
    /// </summary>
    void Configure(IReadOnlyList<string> arguments);
}
