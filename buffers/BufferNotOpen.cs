namespace Puma.Buffers;

internal static class BufferNotOpen
{
    public static InvalidOperationException For(PumaBuffer buffer) =>
        new($"Buffer '{buffer.Name}' is not open yet: the runtime opens its buffers in StartAsync.");
}
