using Puma.Buffers.SharedMemory;

namespace Puma.Buffers.Tests.Leases;

/// <summary>The two transports a buffer opens on, for leases and claims tested on both.</summary>
public enum Transport
{
    InProcess,
    SharedMemory,
}

/// <summary>A buffer opened on one transport, with its ends; disposing it removes the ring, if any.</summary>
internal sealed class OpenBuffer<T> : IDisposable
{
    private readonly SharedMemoryRing? _ring;

    public OpenBuffer(Transport transport, int capacity = 16, long capacityBytes = 64 * 1024)
    {
        Buffer = new PumaBuffer<T>("leased", capacity, capacityBytes: capacityBytes);
        Reader = Buffer.Reader;
        Writer = Buffer.Writer;
        if (transport == Transport.InProcess)
        {
            Buffer.OpenInProcess();
            return;
        }
        _ring = SharedMemoryRing.Create(new SharedMemoryRingOptions { CapacityBytes = capacityBytes });
        Buffer.OpenSharedMemory(_ring, [0]);
    }

    public PumaBuffer<T> Buffer { get; }

    public BufferReader<T> Reader { get; }

    public BufferWriter<T> Writer { get; }

    public void Dispose() => _ring?.Dispose();
}

internal static class LeaseTestSupport
{
    public static readonly TimeSpan Generous = TimeSpan.FromSeconds(20);

    public static TheoryData<Transport> Transports => new() { Transport.InProcess, Transport.SharedMemory };

    /// <summary>A payload whose bytes tell items apart: byte i of item n is (n * 31 + i) mod 251.</summary>
    public static byte[] Payload(int n, int length)
    {
        var bytes = new byte[length];
        for (var i = 0; i < length; i++)
            bytes[i] = (byte)((n * 31 + i) % 251);
        return bytes;
    }
}
