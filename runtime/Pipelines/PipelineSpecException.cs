namespace Puma.Runtime.Pipelines;

/// <summary>A pipeline spec cannot be used: the message lists every problem, each naming its buffer, runnable or port.</summary>
public sealed class PipelineSpecException : Exception
{
    /// <summary>Creates the exception from the list of problems.</summary>
    /// <param name="problems">One sentence per problem.</param>
    public PipelineSpecException(IReadOnlyList<string> problems)
        : base(Describe(problems))
    {
        Problems = problems;
    }

    /// <summary>Creates the exception from the list of problems and the error that revealed them.</summary>
    /// <param name="problems">One sentence per problem.</param>
    /// <param name="innerException">The error behind them (a JSON syntax error, for instance).</param>
    public PipelineSpecException(IReadOnlyList<string> problems, Exception? innerException)
        : base(Describe(problems), innerException)
    {
        Problems = problems;
    }

    /// <summary>One sentence per problem.</summary>
    public IReadOnlyList<string> Problems { get; }

    private static string Describe(IReadOnlyList<string> problems)
    {
        ArgumentNullException.ThrowIfNull(problems);
        return $"The pipeline spec has {problems.Count} problem{(problems.Count == 1 ? "" : "s")}:"
            + Environment.NewLine + string.Join(Environment.NewLine, problems.Select(p => " - " + p));
    }
}
