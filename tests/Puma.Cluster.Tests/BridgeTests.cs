using System.Diagnostics;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Puma.Buffers.SharedMemory;
using Puma.Runtime.Cluster.Bridge;

namespace Puma.Cluster.Tests;

public sealed class BridgeTests
{
    private static readonly TimeSpan Liveness = BridgeRig.Liveness;

    /// <summary>10,000 lengths from 0 B to 100 KiB: mostly small, every tenth up to 100 KiB, some at the batch and large-item limits and beyond.</summary>
    private static List<int> VariedLengths()
    {
        var random = new Random(12);
        var lengths = new List<int>();
        for (var i = 0; i < 10_000; i++)
            lengths.Add(i % 10 == 0 ? random.Next(1, 100 * 1024 + 1) : random.Next(1, 300));
        lengths[1] = BridgeFrames.LargeItemBytes - 1;
        lengths[2] = BridgeFrames.LargeItemBytes;
        lengths[3] = BridgeFrames.BatchBytes - BridgeFrames.HeaderBytes;
        lengths[4] = BridgeFrames.BatchBytes;
        lengths[5] = 100 * 1024;
        lengths[6] = 0;
        lengths[7] = BridgeFrames.LargeItemBytes + 1;
        lengths[8] = (1 << 20) / 2 - 16; // the largest item of the rigs' 1 MiB rings
        lengths[9] = 300 * 1024;
        return lengths;
    }

    /// <summary>
    /// <paramref name="awaited"/>'s result; but when one of <paramref name="others"/> fails before it, that failure:
    /// the rig's writer, its reader or the receiver failing leaves the sender waiting for good, and the test should name
    /// why instead of timing out on the sender.
    /// </summary>
    private static async Task<T> UnlessOneFailsFirstAsync<T>(Task<T> awaited, params Task[] others)
    {
        var pending = others.Append(awaited).ToList();
        while (true)
        {
            var done = await Task.WhenAny(pending).WaitAsync(Liveness);
            if (done == awaited || !done.IsCompletedSuccessfully)
            {
                await done; // throws the failure
                return await awaited;
            }
            pending.Remove(done);
        }
    }

    /// <summary>Writes items of <paramref name="lengths"/> and completes: both pumps end Completed and the reader gets every item, in order and intact.</summary>
    private static async Task AssertCrossIntactAsync(BridgeRig rig, List<int> lengths)
    {
        var writing = rig.WriteAsync(lengths);
        var reading = rig.ReadAllAsync();
        BridgeEnd sent;
        try
        {
            sent = await UnlessOneFailsFirstAsync(rig.Sender, writing, reading, rig.Receiver);
        }
        catch (TimeoutException stalled)
        {
            throw new TimeoutException($"The bridge stalled: {rig.Describe(("writer", writing), ("reader", reading))}", stalled);
        }
        Assert.Equal(BridgeEnd.Completed.Instance, sent);
        Assert.Equal(BridgeEnd.Completed.Instance, await rig.Receiver.WaitAsync(Liveness));
        rig.ReceiveWriter.ReleaseWriter();
        var (read, firstBad) = await reading.WaitAsync(Liveness);
        await writing.WaitAsync(Liveness);

        Assert.Equal(lengths, read);
        Assert.Equal(-1, firstBad);
    }

    [Fact]
    public async Task ItemsOfVariedSizesArriveInOrderAndIntactAndCompletionCrosses()
    {
        await using var rig = await BridgeRig.StartAsync();
        var lengths = VariedLengths();

        await AssertCrossIntactAsync(rig, lengths);
    }

    [Fact]
    public async Task RunsOfEqualLargeItemsBrokenBySmallOnesAndOtherSizesArriveIntact()
    {
        // The receiver reads a large item straight into a record claimed at the previous large item's size: runs of
        // one size, a size change, a small item, a null-length item and the end marker right after a large one.
        await using var rig = await BridgeRig.StartAsync();
        var lengths = new List<int>();
        for (var run = 0; run < 20; run++)
        {
            lengths.AddRange(Enumerable.Repeat(64 * 1024, 10));
            lengths.AddRange(Enumerable.Repeat(20 * 1024 + run, 3));
            lengths.Add(run % 2 == 0 ? 7 : 0);
        }
        lengths.AddRange(Enumerable.Repeat(64 * 1024, 5));

        await AssertCrossIntactAsync(rig, lengths);
    }

    [Fact]
    public async Task CompletionWithAnErrorCrossesWithItsTypeAndMessage()
    {
        await using var rig = await BridgeRig.StartAsync();
        var writing = rig.WriteAsync([10, 20_000, 30], new InvalidOperationException("the source broke at item 3"));

        var sent = Assert.IsType<BridgeEnd.CompletedWithError>(await rig.Sender.WaitAsync(Liveness));
        var received = Assert.IsType<BridgeEnd.CompletedWithError>(await rig.Receiver.WaitAsync(Liveness));
        await writing.WaitAsync(Liveness);

        var sentError = Assert.IsType<RemoteBufferException>(sent.Error);
        Assert.Equal("System.InvalidOperationException", sentError.RemoteType);
        var error = Assert.IsType<RemoteBufferException>(received.Error);
        Assert.Equal("System.InvalidOperationException", error.RemoteType);
        Assert.Equal("the source broke at item 3", error.Message);
        Assert.Equal(sentError.RemoteStackTrace, error.RemoteStackTrace);

        // The caller completes the receiving ring with it: its reader gets the three items, then the message.
        rig.ReceiveWriter.TryComplete(error);
        var reading = rig.ReadAllAsync();
        var thrown = await Assert.ThrowsAsync<RemoteBufferException>(() => reading.WaitAsync(Liveness));
        Assert.Equal("the source broke at item 3", thrown.Message);
        Assert.Equal("System.InvalidOperationException", thrown.RemoteType); // kept across the second ring
        Assert.Equal(sentError.RemoteStackTrace, thrown.RemoteStackTrace);
    }

    [Fact]
    public async Task AFullReceivingRingStopsTheSenderUntilItsReaderResumes()
    {
        await using var rig = await BridgeRig.StartAsync(sendCapacity: 64 * 1024, receiveCapacity: 64 * 1024);
        using var resume = new ManualResetEventSlim();
        var reading = rig.ReadAllAsync(resume);
        const int itemBytes = 4096;
        const int limit = 16_384; // 64 MiB: far beyond both rings and both sockets' buffers

        // Write until the sending ring stays full for a second: the receiver stopped reading the socket.
        var written = await Task.Factory.StartNew(() =>
        {
            var count = 0;
            var stalled = Stopwatch.StartNew();
            while (count < limit)
            {
                if (rig.SendWriter.TryClaim(itemBytes, out var span))
                {
                    BridgeRig.Fill(span, count++);
                    rig.SendWriter.Commit();
                    stalled.Restart();
                }
                else if (stalled.Elapsed > TimeSpan.FromSeconds(1))
                {
                    return count;
                }
                else
                {
                    Thread.Sleep(5);
                }
            }
            return count;
        }, TaskCreationOptions.LongRunning).WaitAsync(Liveness * 2);
        Assert.True(written < limit, $"the sending ring never filled: {written} items of {itemBytes} bytes were written without a stall");
        Assert.False(rig.Sender.IsCompleted);
        Assert.False(rig.Receiver.IsCompleted);

        resume.Set();
        var lengths = Enumerable.Repeat(itemBytes, 100).ToList();
        var more = Task.Factory.StartNew(() =>
        {
            for (var i = 0; i < 100; i++)
            {
                BridgeRig.Fill(rig.SendWriter.Claim(itemBytes), written + i);
                rig.SendWriter.Commit();
            }
            rig.SendWriter.ReleaseWriter();
        }, TaskCreationOptions.LongRunning);
        await more.WaitAsync(Liveness);
        Assert.Equal(BridgeEnd.Completed.Instance, await rig.Receiver.WaitAsync(Liveness));
        rig.ReceiveWriter.ReleaseWriter();
        var (read, firstBad) = await reading.WaitAsync(Liveness);

        Assert.Equal(written + 100, read.Count);
        Assert.All(read, length => Assert.Equal(itemBytes, length));
        Assert.Equal(-1, firstBad);
    }

    [Fact]
    public async Task WhenTheReceivingRingsReaderIsGoneTheReceiverEndsReaderGoneAndTheSenderStreamLost()
    {
        await using var rig = await BridgeRig.StartAsync(sendCapacity: 64 * 1024, receiveCapacity: 64 * 1024);
        using var stop = new CancellationTokenSource();
        var writing = Task.Factory.StartNew(() =>
        {
            for (var i = 0; !stop.IsCancellationRequested; i++)
            {
                if (!rig.SendWriter.TryClaim(100, out var span))
                {
                    Thread.Sleep(1);
                    continue;
                }
                BridgeRig.Fill(span, i);
                rig.SendWriter.Commit();
            }
        }, TaskCreationOptions.LongRunning);
        for (var read = 0; read < 1000;)
        {
            if (rig.ReceiveReader.TryAcquire(out _))
            {
                rig.ReceiveReader.Release();
                read++;
            }
            else
            {
                rig.ReceiveReader.WaitToRead();
            }
        }

        rig.ReceiveReader.Dispose(); // the slot closes: the ring has no reader left

        var received = Assert.IsType<BridgeEnd.ReaderGone>(await rig.Receiver.WaitAsync(Liveness));
        Assert.IsType<PeerProcessDiedException>(received.Error);
        Assert.IsType<BridgeEnd.StreamLost>(await rig.Sender.WaitAsync(Liveness));
        await stop.CancelAsync();
        await writing.WaitAsync(Liveness);
    }

    [Fact]
    public async Task AnIdleReceiverNoticesItsReaderGoneWithinItsCheckInterval()
    {
        await using var rig = await BridgeRig.StartAsync();

        rig.ReceiveReader.Dispose();

        Assert.IsType<BridgeEnd.ReaderGone>(await rig.Receiver.WaitAsync(Liveness));
        Assert.IsType<BridgeEnd.StreamLost>(await rig.Sender.WaitAsync(Liveness));
    }

    [Fact]
    public async Task AReceivingRingCompletedByItsOwnerEndsTheReceiverReaderGoneWithTheRingsError()
    {
        await using var rig = await BridgeRig.StartAsync();

        rig.ReceiveWriter.TryComplete(new TimeoutException("the consumer gave up"));

        var received = Assert.IsType<BridgeEnd.ReaderGone>(await rig.Receiver.WaitAsync(Liveness));
        var error = Assert.IsType<RemoteBufferException>(received.Error);
        Assert.Equal("System.TimeoutException", error.RemoteType);
        Assert.Equal("the consumer gave up", error.Message);
        Assert.IsType<BridgeEnd.StreamLost>(await rig.Sender.WaitAsync(Liveness));
    }

    [Fact]
    public async Task ASenderStreamKilledMidwayEndsTheReceiverStreamLost()
    {
        await using var rig = await BridgeRig.StartAsync();
        var writing = rig.WriteAsync(Enumerable.Repeat(1000, 200).ToList(), complete: false);
        await writing.WaitAsync(Liveness);
        for (var read = 0; read < 200;)
        {
            if (rig.ReceiveReader.TryAcquire(out _))
            {
                rig.ReceiveReader.Release();
                read++;
            }
            else
            {
                rig.ReceiveReader.WaitToRead();
            }
        }

        await rig.SenderStream.DisposeAsync();

        var received = Assert.IsType<BridgeEnd.StreamLost>(await rig.Receiver.WaitAsync(Liveness));
        Assert.IsType<EndOfStreamException>(received.Error);
        Assert.IsType<BridgeEnd.StreamLost>(await rig.Sender.WaitAsync(Liveness));
    }

    [Fact]
    public async Task ANullItemCrossesAsNullAndAnEmptyOneAsEmpty()
    {
        await using var rig = await BridgeRig.StartAsync();
        rig.SendWriter.Claim(0);
        rig.SendWriter.CommitCore(Puma.Buffers.SharedMemory.RingLayout.FlagNull);
        rig.SendWriter.Claim(0);
        rig.SendWriter.Commit();
        rig.SendWriter.ReleaseWriter();

        var kinds = new List<(int Length, bool IsNull)>();
        while (kinds.Count < 2)
        {
            Assert.True(await rig.ReceiveReader.WaitToReadAsync(new CancellationTokenSource(BridgeRig.Liveness).Token));
            while (rig.ReceiveReader.TryAcquireCore(out var item, out var kind))
            {
                kinds.Add((item.Length, (kind & Puma.Buffers.SharedMemory.RingLayout.FlagNull) != 0));
                rig.ReceiveReader.Release();
            }
        }

        Assert.Equal([(0, true), (0, false)], kinds);
        Assert.IsType<BridgeEnd.Completed>(await rig.Receiver.WaitAsync(BridgeRig.Liveness));
    }

    [Fact]
    public async Task AGarbledStreamEndsTheReceiverStreamLostNamingTheHeader()
    {
        using var ring = BridgeRig.NewRing(64 * 1024);
        using var writer = ring.OpenWriter();
        using var reader = ring.OpenReader(0);
        var stream = new MemoryStream([0xF0, 0xFF, 0xFF, 0xFF, 0, 0, 0, 0]);

        var end = Assert.IsType<BridgeEnd.StreamLost>(await StreamToRing.PumpAsync(stream, writer, CancellationToken.None).WaitAsync(Liveness));

        var error = Assert.IsType<InvalidDataException>(end.Error);
        Assert.Equal("Bridge frame header -16 is neither an item length (0 or more) nor an end marker (-1, -2).", error.Message);
    }

    [Fact]
    public async Task AnItemLargerThanTheReceivingRingTakesFailsTheReceiverAndClosesTheStream()
    {
        await using var rig = await BridgeRig.StartAsync(sendCapacity: 1 << 20, receiveCapacity: 64 * 1024);
        await rig.WriteAsync([100 * 1024], complete: false).WaitAsync(Liveness);

        var error = await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => rig.Receiver.WaitAsync(Liveness));

        Assert.StartsWith($"Ring '{rig.ReceiveRing.Name}': an item of 102400 bytes exceeds the largest item of 32752 bytes", error.Message);
        Assert.IsType<BridgeEnd.StreamLost>(await rig.Sender.WaitAsync(Liveness));
    }

    [Fact]
    public async Task CancellingStopsBothPumps()
    {
        await using var rig = await BridgeRig.StartAsync();

        await rig.StopAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => rig.Sender.WaitAsync(Liveness));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => rig.Receiver.WaitAsync(Liveness));
    }

    [Fact]
    public async Task AnUnknownTokenIsRefused()
    {
        await using var listener = new BridgeListener(IPAddress.Loopback);
        var expected = listener.Expect(BridgeToken.New());

        var refused = await Assert.ThrowsAsync<BridgeRefusedException>(() =>
            BridgeConnector.ConnectAsync("127.0.0.1", listener.Endpoint.Port, BridgeToken.New(), CancellationToken.None).WaitAsync(Liveness));

        Assert.Equal($"127.0.0.1:{listener.Endpoint.Port}", refused.Endpoint);
        Assert.False(expected.IsCompleted);
    }

    [Fact]
    public async Task OneConnectionPerTokenAtATimeAndAReconnectOnceExpectedAgain()
    {
        await using var listener = new BridgeListener(IPAddress.Parse("127.0.0.1"));
        var token = BridgeToken.New();
        var port = listener.Endpoint.Port;

        var expected = listener.Expect(token);
        await using (var first = await BridgeConnector.ConnectAsync("127.0.0.1", port, token, CancellationToken.None).WaitAsync(Liveness))
        {
            await using var accepted = await expected.WaitAsync(Liveness);
            await Assert.ThrowsAsync<BridgeRefusedException>(() => BridgeConnector.ConnectAsync("127.0.0.1", port, token, CancellationToken.None).WaitAsync(Liveness));
        }

        // The connection ended; its owner expects the token again and the restarted side reconnects.
        var again = listener.Expect(token);
        var twice = Assert.Throws<InvalidOperationException>(() => { _ = listener.Expect(token); });
        Assert.Equal($"A bridge connection with token {token} is already expected at 127.0.0.1:{port}; one connection per token at a time.", twice.Message);
        await using var second = await BridgeConnector.ConnectAsync("127.0.0.1", port, token, CancellationToken.None).WaitAsync(Liveness);
        await using var reaccepted = await again.WaitAsync(Liveness);
        second.Write([42]);
        var one = new byte[1];
        await reaccepted.ReadExactlyAsync(one).AsTask().WaitAsync(Liveness);
        Assert.Equal(42, one[0]);
    }

    [Fact]
    public void ABadTokenIsRejectedNamingIt()
    {
        var error = Assert.Throws<ArgumentException>(() => BridgeToken.Normalize("not-a-token", "token"));
        Assert.StartsWith("Bridge token 'not-a-token' is not 32 hex digits", error.Message);
        Assert.Equal(32, BridgeToken.New().Length);
        Assert.NotEqual(BridgeToken.New(), BridgeToken.New());
    }

    [Fact]
    public async Task ItemsAndCompletionCrossOverTlsWithTheSharedCertificate()
    {
        using var certificate = SelfSigned("CN=puma-cluster-test");
        await using var rig = await BridgeRig.StartAsync(certificate: certificate);
        Assert.IsType<System.Net.Security.SslStream>(rig.SenderStream);
        var lengths = VariedLengths().Take(2000).ToList();

        await AssertCrossIntactAsync(rig, lengths);
    }

    [Fact]
    public async Task TlsWithAnotherCertificateIsRefused()
    {
        using var ours = SelfSigned("CN=puma-cluster-test");
        using var theirs = SelfSigned("CN=puma-cluster-test");
        await using var listener = new BridgeListener(IPAddress.Loopback, certificate: ours);
        var token = BridgeToken.New();
        var expected = listener.Expect(token);

        await Assert.ThrowsAnyAsync<Exception>(() => BridgeConnector.ConnectAsync("127.0.0.1", listener.Endpoint.Port, token, theirs, CancellationToken.None).WaitAsync(Liveness));

        Assert.False(expected.IsCompleted);
    }

    private static X509Certificate2 SelfSigned(string subject)
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using var ephemeral = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        return X509CertificateLoader.LoadPkcs12(ephemeral.Export(X509ContentType.Pkcs12), null);
    }
}
