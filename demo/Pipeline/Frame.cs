namespace Puma.Demo.Pipeline;

/// <summary>A numbered frame of float samples, stamped when it was produced. Crosses processes as raw bytes (<see cref="FrameCodec"/>).</summary>
[Puma.Buffers.Codecs.BufferCodec(typeof(FrameCodec))]
public sealed record Frame(long Seq, long SentTimestamp, float Gain, float[] Samples)
{
    /// <summary>The deterministic raw sample the producer writes at index i of frame seq.</summary>
    public static float RawSample(long seq, int i) => (float)Math.Sin((seq * 31 + i) * 0.001);
}

/// <summary>Command: change the processor's gain.</summary>
public sealed record SetGain(float Gain);

/// <summary>The consumer's final report, streamed as status.</summary>
public sealed record ConsumerSummary(long Frames, long Bytes, double Seconds, double MeanLatencyUs, double P50LatencyUs, double P99LatencyUs,
    long OutOfOrder, long BadChecksums, long FirstFrameWithNewGain, float LastGain);

/// <summary>The consumer's progress, streamed as status every tick.</summary>
public sealed record ConsumerProgress(long Frames);
