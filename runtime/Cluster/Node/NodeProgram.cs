using System.Globalization;
using System.Runtime.InteropServices;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Puma.Runtime.Child;
using Serilog;
using Serilog.Core;
using Serilog.Events;

namespace Puma.Runtime.Cluster.Node;

/// <summary>
/// The node agent's command line, shared by the <c>Puma.Node</c> app and the child host in node mode
/// (<c>dotnet Puma.Runtime.Host.dll --puma-node ...</c>):
/// <c>--seed akka.tcp://puma@HOST:PORT</c> (repeat, or comma-separated), <c>--roles gpu,fast</c>, <c>--hostname</c>
/// (default 127.0.0.1), <c>--port</c> (default 0: a free one), <c>--system-name</c> (default puma),
/// <c>--failure-detection default|fast</c>, <c>--tls-certificate FILE.pfx</c> with <c>--tls-password</c>,
/// <c>--config FILE.json</c> (the same keys, e.g. <c>{ "seed": "...", "roles": "gpu" }</c>). Each key can also come
/// from the environment as <c>PUMA_NODE_SEED</c>, <c>PUMA_NODE_ROLES</c>, ...; the command line wins, then the
/// environment, then the file.
/// Once up it prints <c>Puma node up: ADDRESS</c> on stdout; it exits 0 when stopped (SIGTERM, SIGINT) or downed.
/// </summary>
internal static class NodeProgram
{
    /// <summary>The child host's argument that selects node mode.</summary>
    public const string NodeOption = "--puma-node";

    /// <summary>The line printed once the node is up, followed by its address.</summary>
    public const string UpLine = "Puma node up: ";

    private static readonly string[] Keys = ["seed", "roles", "hostname", "port", "system-name", "failure-detection", "tls-certificate", "tls-password", "config", "parent-pid"];

    /// <summary>Runs a node until it is stopped or downed; returns the exit code.</summary>
    public static int Main(string[] args)
    {
        Dictionary<string, List<string>> settings;
        try
        {
            settings = Parse(args);
        }
        catch (ArgumentException e)
        {
            Console.Error.WriteLine($"Puma node: {e.Message}");
            return 2;
        }

        if (settings.TryGetValue("parent-pid", out var parent) && !ParentDeathSignal.Arm(int.Parse(parent[0], CultureInfo.InvariantCulture)))
            return 3;

        Log.Logger = new LoggerConfiguration().MinimumLevel.Information().WriteTo.Sink(new StandardErrorSink()).CreateLogger();
        PumaClusterOptions cluster;
        try
        {
            cluster = ToOptions(settings);
        }
        catch (Exception e) when (e is ArgumentException or FormatException or IOException or System.Security.Cryptography.CryptographicException)
        {
            Console.Error.WriteLine($"Puma node: {e.Message}");
            return 2;
        }

        using var stop = new CancellationTokenSource();
        using var term = PosixSignalRegistration.Create(PosixSignal.SIGTERM, c => { c.Cancel = true; stop.Cancel(); });
        using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, c => { c.Cancel = true; stop.Cancel(); });
        return RunAsync(cluster, stop.Token).GetAwaiter().GetResult();
    }

    private static async Task<int> RunAsync(PumaClusterOptions cluster, CancellationToken stop)
    {
        PumaNode node;
        try
        {
            node = await PumaNode.StartAsync(new PumaNodeOptions { Cluster = cluster }, stop).ConfigureAwait(false);
        }
        catch (Exception e) when (e is OperationCanceledException or TimeoutException or ArgumentException or InvalidOperationException)
        {
            Console.Error.WriteLine($"Puma node: could not join {string.Join(", ", cluster.SeedNodes)}: {e.Message}");
            return 1;
        }

        Console.Out.WriteLine(UpLine + node.Address);
        Console.Out.Flush();
        await Task.WhenAny(node.WhenTerminated, Task.Delay(Timeout.Infinite, stop)).ConfigureAwait(false);
        await node.DisposeAsync().ConfigureAwait(false);
        await Log.CloseAndFlushAsync().ConfigureAwait(false);
        return 0;
    }

    /// <summary>The settings from the command line, the environment and the configuration file, in that order of precedence.</summary>
    internal static Dictionary<string, List<string>> Parse(string[] args)
    {
        var settings = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        for (var i = 0; i < args.Length; i++)
        {
            if (args[i] == NodeOption)
                continue;
            var key = args[i].StartsWith("--", StringComparison.Ordinal) ? args[i][2..] : throw new ArgumentException($"unexpected argument '{args[i]}'; options are --{string.Join(", --", Keys)}.");
            if (!Keys.Contains(key))
                throw new ArgumentException($"unknown option '{args[i]}'; options are --{string.Join(", --", Keys)}.");
            if (i + 1 >= args.Length)
                throw new ArgumentException($"option '{args[i]}' needs a value.");
            Add(settings, key, args[++i]);
        }

        foreach (var key in Keys.Where(k => !settings.ContainsKey(k)))
        {
            if (Environment.GetEnvironmentVariable("PUMA_NODE_" + key.Replace('-', '_').ToUpperInvariant()) is { Length: > 0 } value)
                Add(settings, key, value);
        }

        if (settings.TryGetValue("config", out var file))
        {
            using var json = JsonDocument.Parse(File.ReadAllText(file[0]));
            foreach (var property in json.RootElement.EnumerateObject())
            {
                if (!Keys.Contains(property.Name))
                    throw new ArgumentException($"unknown key '{property.Name}' in {file[0]}; keys are {string.Join(", ", Keys)}.");
                if (!settings.ContainsKey(property.Name))
                    Add(settings, property.Name, property.Value.ValueKind == JsonValueKind.String ? property.Value.GetString()! : property.Value.GetRawText());
            }
        }

        return settings;
    }

    /// <summary>The cluster settings the parsed options describe.</summary>
    internal static PumaClusterOptions ToOptions(Dictionary<string, List<string>> settings)
    {
        string? One(string key) => settings.TryGetValue(key, out var values) ? values[^1] : null;
        string[] Many(string key) => settings.TryGetValue(key, out var values)
            ? values.SelectMany(v => v.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).ToArray()
            : [];
        var seeds = Many("seed");
        if (seeds.Length == 0)
            throw new ArgumentException("--seed is required: the supervisor's address, e.g. akka.tcp://puma@127.0.0.1:4053.");
        var detection = One("failure-detection") switch
        {
            null or "default" => ClusterFailureDetection.Default,
            "fast" => ClusterFailureDetection.Fast,
            var other => throw new ArgumentException($"--failure-detection '{other}' is not one of: default, fast."),
        };
        var options = new PumaClusterOptions
        {
            SeedNodes = seeds,
            Roles = Many("roles"),
            FailureDetection = detection,
            Port = One("port") is { } port ? int.Parse(port, CultureInfo.InvariantCulture) : 0,
        };
        if (One("hostname") is { } hostname)
            options = options with { Hostname = hostname };
        if (One("system-name") is { } name)
            options = options with { SystemName = name };
        if (One("tls-certificate") is { } certificate)
            options = options with { Tls = new ClusterTls(X509CertificateLoader.LoadPkcs12FromFile(certificate, One("tls-password"))) };
        return options;
    }

    private static void Add(Dictionary<string, List<string>> settings, string key, string value)
    {
        if (!settings.TryGetValue(key, out var values))
            settings[key] = values = [];
        values.Add(value);
    }

    /// <summary>The node's own events, one line each on stderr.</summary>
    private sealed class StandardErrorSink : ILogEventSink
    {
        public void Emit(LogEvent logEvent)
        {
            var line = $"{logEvent.Timestamp:HH:mm:ss.fff} [{logEvent.Level}] {logEvent.RenderMessage(CultureInfo.InvariantCulture)}";
            Console.Error.WriteLine(logEvent.Exception is null ? line : line + Environment.NewLine + logEvent.Exception);
        }
    }
}
