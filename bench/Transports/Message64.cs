using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Puma.Bench.Transports;

/// <summary>
/// The 64-byte message of the <c>small</c>, <c>pingpong</c> and <c>idle</c> cases as an
/// unmanaged struct, for typed channel transports (<c>ChannelWriter&lt;Message64&gt;</c>). Its
/// bytes follow <see cref="MessageFormat"/>.
/// </summary>
[StructLayout(LayoutKind.Sequential, Size = 64)]
internal struct Message64
{
    /// <summary>The struct's size in bytes.</summary>
    public const int Size = 64;

    private Bytes64 _bytes;

    [InlineArray(64)]
    private struct Bytes64
    {
        private byte _first;
    }

    /// <summary>The message's bytes, in place.</summary>
    public static Span<byte> AsBytes(ref Message64 m) => MemoryMarshal.AsBytes(MemoryMarshal.CreateSpan(ref m, 1));
}
