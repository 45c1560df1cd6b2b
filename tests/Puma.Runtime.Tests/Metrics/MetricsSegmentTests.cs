using System.Diagnostics;
using System.Text.Json;
using Puma.Buffers;
using Puma.Buffers.Metrics;
using Puma.Buffers.SharedMemory;
using Puma.Runtime.Metrics;
using Puma.Runtime.Wire;

namespace Puma.Runtime.Tests.Metrics;

public class MetricsSegmentTests
{
    [Fact]
    public void WhatTheChildCountsTheSupervisorReads()
    {
        using var supervisor = MetricsSegment.Create(portCount: 2);
        using var child = MetricsSegment.Open(supervisor.Name, portCount: 2);

        child.Runnable.AddItemsIn(64);
        child.Runnable.Busy();
        Thread.Sleep(20);
        child.Runnable.Idle();
        child.Runnable.Idle(); // idle twice adds nothing
        var port1 = EndTally.Of(child.Ports[1]);
        port1.AddItem(16);
        port1.AddItem(16);
        port1.AddWait();
        EndTally.Of(child.Ports[0]).AddItem(100);

        Assert.Equal(64, supervisor.Runnable.ItemsIn);
        var busy = supervisor.Runnable.BusyTime;
        Assert.InRange(busy, TimeSpan.FromMilliseconds(19), TimeSpan.FromSeconds(10));
        Thread.Sleep(20);
        Assert.Equal(busy, supervisor.Runnable.BusyTime); // idle: it stays
        child.Runnable.Busy();
        Thread.Sleep(20);
        Assert.True(supervisor.Runnable.BusyTime >= busy + TimeSpan.FromMilliseconds(19)); // busy now: the current spell counts
        Assert.Equal((1, 100, 0), (supervisor.Ports[0].Items, supervisor.Ports[0].Bytes, supervisor.Ports[0].Waits));
        Assert.Equal((2, 32, 1), (supervisor.Ports[1].Items, supervisor.Ports[1].Bytes, supervisor.Ports[1].Waits));
    }

    [Fact]
    public void ASegmentForAnotherPortCountIsRejectedWithTheBadValue()
    {
        using var supervisor = MetricsSegment.Create(portCount: 2);

        var error = Assert.Throws<BufferCorruptedException>(() => MetricsSegment.Open(supervisor.Name, portCount: 3));

        Assert.Equal($"Metrics segment '{supervisor.Name}': port count 2 is not 3, the runnable's port count.", error.Message);
    }

    [Fact]
    public void ASegmentThatIsNotAMetricsSegmentIsRejectedWithItsMagic()
    {
        var other = RingSegment.Create(4096);
        try
        {
            var error = Assert.Throws<BufferCorruptedException>(() => MetricsSegment.Open(other.Name, portCount: 0));

            Assert.Equal($"Metrics segment '{other.Name}': magic 0x0000000000000000 is not the Puma metrics magic 0x{MetricsSegment.Magic:X16}.", error.Message);
        }
        finally
        {
            other.Release(isCreator: true);
        }
    }

    [Fact]
    public void APortCountOutOfRangeNamesTheValueAndTheLimit()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => MetricsSegment.Create(MetricsSegment.MaxPorts + 1));

        Assert.Contains($"A metrics segment holds 0..{MetricsSegment.MaxPorts} ports, got {MetricsSegment.MaxPorts + 1}.", error.Message);
    }

    [Fact]
    public void TheStartFrameCarriesTheMetricsSegment()
    {
        using var document = JsonDocument.Parse("{}");
        var start = new ChildStartMessage("a", "b", "c", new RunnableConfiguration(document.RootElement.Clone(), new Dictionary<string, PortBinding>()), "Debug", "d")
        {
            MetricsSegment = "puma-0123@42.7",
        };

        Assert.Equal("puma-0123@42.7", StartFrame.Read(StartFrame.Create(start)).MetricsSegment);
        Assert.Null(StartFrame.Read(StartFrame.Create(start with { MetricsSegment = null })).MetricsSegment);
    }

    [Fact]
    public void AStartFrameWithoutMetricsKeepsThePreMetricsLayout()
    {
        using var document = JsonDocument.Parse("{}");
        var start = new ChildStartMessage("a", "b", "c", new RunnableConfiguration(document.RootElement.Clone(), new Dictionary<string, PortBinding>()), "Debug", "d");
        var withoutSegment = StartFrame.Create(start).Payload;
        var withSegment = StartFrame.Create(start with { MetricsSegment = "seg" }).Payload;

        // Without a segment nothing is written after the ports (what a child that predates metrics reads to its end);
        // with one, a presence byte, the length and the three bytes follow.
        Assert.Equal(withoutSegment.Length + 1 + sizeof(int) + 3, withSegment.Length);
        Assert.True(withSegment.Span[..withoutSegment.Length].SequenceEqual(withoutSegment.Span));
        Assert.Null(StartFrame.Read(new ControlFrame(ControlMessageKind.Start, withoutSegment)).MetricsSegment);
    }
}
