using Puma.Runtime.Hosting;

namespace Puma.Runtime.Tests.Hosting;

internal sealed record RunningChild(ChildProcess Process, OutputLines Output) : IAsyncDisposable
{
    public ValueTask DisposeAsync() => Process.DisposeAsync();
}
