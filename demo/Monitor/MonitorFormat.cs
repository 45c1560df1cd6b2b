using System.Globalization;

namespace Puma.Demo.Monitor;

/// <summary>Numbers as the monitor shows them.</summary>
internal static class MonitorFormat
{
    public static string Rate(double perSecond) => perSecond.ToString("N0", CultureInfo.InvariantCulture) + "/s";

    public static string Megabytes(double bytes) => (bytes / 1e6).ToString("N1", CultureInfo.InvariantCulture) + " MB";

    public static string Percent(double percent) => percent.ToString("N0", CultureInfo.InvariantCulture) + "%";

    public static string Count(long value) => value.ToString("N0", CultureInfo.InvariantCulture);

    /// <summary>A text bar of <paramref name="width"/> cells, <paramref name="share"/> (0..1) of them filled.</summary>
    public static string Bar(double share, int width = 20)
    {
        var filled = (int)Math.Round(Math.Clamp(share, 0, 1) * width);
        return new string('#', filled) + new string('.', width - filled);
    }
}
