using Puma.Runtime.Parent;


namespace Puma.Runtime.Tests.Parent;

internal sealed record RunningChild(ChildProcess Process, OutputLines Output) : IAsyncDisposable
{
    public ValueTask DisposeAsync() => Process.DisposeAsync();
}
