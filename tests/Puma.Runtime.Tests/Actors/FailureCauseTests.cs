using Puma.Buffers;
using Puma.Buffers.SharedMemory;
using Puma.Logging;
using Puma.Runtime.Actors;

namespace Puma.Runtime.Tests.Actors;

/// <summary>Which failures are consequences of another runnable's end, reported after every cause.</summary>
public sealed class FailureCauseTests
{
    public static TheoryData<Exception, bool> Errors => new()
    {
        { new PeerProcessDiedException("Ring 'raw' has no live reader left to make room.", 12), true },
        { new BufferReaderGoneException("raw", "consumer"), true },
        { PortableException.FromException(new PeerProcessDiedException("gone", 12)).ToException(), true },
        { PortableException.FromException(new BufferReaderGoneException("raw", "consumer")).ToException(), true },
        { new InvalidOperationException("the cause"), false },
        { PortableException.FromException(new InvalidOperationException("the cause")).ToException(), false },
        { new ChildProcessDiedException("processor", 12, 137, 9, "SIGKILL"), false },
    };

    [Theory]
    [MemberData(nameof(Errors))]
    public void ABuffersDeadPeerIsAConsequenceAndNothingElseIs(Exception error, bool consequence) =>
        Assert.Equal(consequence, RuntimeActor.IsConsequence(error));

    [Fact]
    public void NoErrorIsNoConsequence() => Assert.False(RuntimeActor.IsConsequence(null));
}
