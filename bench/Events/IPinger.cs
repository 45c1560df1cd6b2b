namespace Puma.Bench.Events;

/// <summary>The bench's side of a ping-pong: one round trip per call.</summary>
internal interface IPinger : IDisposable
{
    /// <summary>Sends a ping and returns once the pong arrived.</summary>
    void Round();
}
