using System.Diagnostics;

namespace Puma.Bench.Frames;

/// <summary>
/// Times rounds of a frame-copying loop: a warm-up round, then <see cref="FramesSettings.Repeats"/>
/// measured rounds; each round copies frames until its time is up and yields frames/s and GB/s
/// (1e9 bytes/s) from the frames copied and the time from the first to the last copy.
/// </summary>
internal static class FrameRounds
{
    /// <summary>Runs the rounds; <paramref name="copyOne"/> copies frame n and is timed.</summary>
    /// <returns>Frames/s and GB/s of each measured round, and the number of frames copied in all.</returns>
    public static (List<double> FramesPerSecond, List<double> GigabytesPerSecond, long Frames) Run(FramesSettings settings, Action<long> copyOne)
    {
        var fps = new List<double>();
        var gbps = new List<double>();
        long n = 0;
        for (var round = 0; round <= settings.Repeats; round++)
        {
            var start = Stopwatch.GetTimestamp();
            var end = start + (long)((round == 0 ? settings.WarmUp : settings.Round).TotalSeconds * Stopwatch.Frequency);
            long frames = 0, now;
            do
            {
                copyOne(n++);
                frames++;
                now = Stopwatch.GetTimestamp();
            }
            while (now < end);
            if (round == 0) continue;
            var seconds = (double)(now - start) / Stopwatch.Frequency;
            fps.Add(frames / seconds);
            gbps.Add(frames * (double)FrameFormat.Bytes / seconds / 1e9);
        }
        return (fps, gbps, n);
    }
}
