namespace Puma.Hosting.Tests;

/// <summary>Sets <see cref="Environment.ExitCode"/> to 0 and puts the previous value back when disposed (it is process-wide).</summary>
internal sealed class ExitCodeScope : IDisposable
{
    private readonly int _saved = Environment.ExitCode;

    public ExitCodeScope() => Environment.ExitCode = 0;

    public void Dispose() => Environment.ExitCode = _saved;
}
