namespace Puma.Buffers.Tests;

public class ModeTests
{
    [Fact]
    public void ManyToOneIsTheDefault() => Assert.Equal(Puma.Buffers.BufferMode.ManyToOne, new PumaBuffer<int>("b", 1).Mode);
}
