namespace Puma.Runtime.Tests.Parent;

internal sealed class OutputLines
{
    public LineList Out { get; } = new();

    public LineList Err { get; } = new();
}
