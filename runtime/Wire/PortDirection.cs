namespace Puma.Runtime.Wire;

/// <summary>Which end of a buffer a port property holds.</summary>
internal enum PortDirection
{
    /// <summary>A <see cref="System.Threading.Channels.ChannelReader{T}"/>: the runnable reads the buffer.</summary>
    Reader = 0,

    /// <summary>A <see cref="System.Threading.Channels.ChannelWriter{T}"/>: the runnable writes the buffer.</summary>
    Writer = 1,
}
