namespace Puma.Runtime.Tests.Hosting;

internal sealed class OutputLines
{
    public LineList Out { get; } = new();

    public LineList Err { get; } = new();
}
