using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Puma.Runtime;

namespace Puma.Hosting;

/// <summary>
/// Starts the <see cref="PumaRuntime"/> singleton with the host and stops and disposes it with the host. When the
/// runtime ends on its own it stops the host: always after a failure (exit code 1), after a normal end when
/// <see cref="PumaHostingOptions.StopHostWhenDone"/> is set.
/// </summary>
internal sealed class PumaHostedService : IHostedService
{
    private readonly PumaRuntime _runtime;
    private readonly PumaHostedRun _run;
    private readonly IHostApplicationLifetime _lifetime;
    private readonly PumaHostingOptions _options;
    private readonly ILogger<PumaHostedService> _log;
    private readonly TaskCompletionSource _hostStarted = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private CancellationTokenRegistration _onHostStarted;
    private Task _watching = Task.CompletedTask;
    private volatile bool _hostStopping;

    public PumaHostedService(PumaRuntime runtime, PumaHostedRun run, IHostApplicationLifetime lifetime,
        IOptions<PumaHostingOptions> options, ILogger<PumaHostedService> log)
    {
        _runtime = runtime;
        _run = run;
        _lifetime = lifetime;
        _options = options.Value;
        _log = log;
    }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        try
        {
            await _runtime.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            _run.ReportStartFailure(e);
            throw;
        }
        // Stopping the application before the host has finished starting would race its start: wait for Started.
        _onHostStarted = _lifetime.ApplicationStarted.Register(() => _hostStarted.TrySetResult());
        _watching = WatchAsync();
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        _hostStopping = true;
        _hostStarted.TrySetResult();
        // The host's token is cancelled when its shutdown timeout runs out: that cuts the graceful wait short and
        // the runtime kills (processes) or abandons (threads) what still runs, so no child outlives the host.
        try
        {
            // A child the stop killed is gone (reaped) when StopAsync returns.
            await _runtime.StopAsync(_options.StopTimeout, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            await _runtime.DisposeAsync().ConfigureAwait(false);
        }
        await _watching.ConfigureAwait(false);
        await _onHostStarted.DisposeAsync().ConfigureAwait(false);
    }

    private async Task WatchAsync()
    {
        PumaRunOutcome outcome;
        try
        {
            await _runtime.WaitAsync().ConfigureAwait(false);
            outcome = new PumaRunOutcome(_hostStopping ? PumaRunEnd.StoppedWithHost : PumaRunEnd.Completed, null);
        }
        catch (Exception e)
        {
            outcome = new PumaRunOutcome(PumaRunEnd.Failed, e);
            // The one place the process exit code is set: the process exits with it when Main returns void.
            Environment.ExitCode = outcome.ExitCode;
            _log.LogError("The Puma runtime failed, the host stops with exit code {ExitCode}: {Failure}", outcome.ExitCode, e.Message);
        }
        _run.Report(outcome);
        if (_hostStopping || (outcome.End == PumaRunEnd.Completed && !_options.StopHostWhenDone))
            return;
        if (outcome.End == PumaRunEnd.Completed)
            _log.LogInformation("Every Puma runnable has ended: the host stops (Puma:StopHostWhenDone is true)");
        await _hostStarted.Task.ConfigureAwait(false);
        _lifetime.StopApplication();
    }
}
