namespace Puma.Runtime;

/// <summary>The runtime's graph is not valid: the message lists every problem found at start.</summary>
public sealed class PumaValidationException : Exception
{
    /// <summary>Creates the exception from the list of problems.</summary>
    /// <param name="problems">One sentence per problem.</param>
    public PumaValidationException(IReadOnlyList<string> problems)
        : base("The Puma runtime cannot start:" + Environment.NewLine + string.Join(Environment.NewLine, problems.Select(p => " - " + p)))
    {
        Problems = problems;
    }

    /// <summary>One sentence per problem.</summary>
    public IReadOnlyList<string> Problems { get; }
}
