namespace Puma.Bench.Harness;

/// <summary>A benchmark suite selectable on the command line.</summary>
internal interface ISuite
{
    /// <summary>The suite's name (the first command-line argument).</summary>
    string Name { get; }

    /// <summary>One line for the usage text.</summary>
    string Description { get; }

    /// <summary>Runs the suite, printing progress and the table; returns the measurements.</summary>
    IReadOnlyList<Measurement> Run(CliOptions options, TextWriter output);
}
