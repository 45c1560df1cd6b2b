using System.Runtime.ExceptionServices;
using System.Threading.Channels;
using Akka.Actor;
using Puma.Buffers;
using Puma.Logging;
using Puma.Runnables;
using Puma.Runnables.Loop;
using Puma.Runtime.Actors;
using Puma.Runtime.Child;
using Puma.Runtime.Cluster;
using Puma.Runtime.Cluster.Supervisor;
using Puma.Runtime.Supervision;
using Puma.Runtime.Wire;
using Serilog;

namespace Puma.Runtime;

/// <summary>
/// The supervisor: creates buffers, places runnables in threads or processes, starts them, forwards
/// commands and requests, streams their status, applies the failure policy and stops them.
/// </summary>
/// <remarks>
/// The supervisor is an Akka.NET actor hierarchy (see <see cref="PumaOptions.ActorSystem"/>): a runtime actor
/// supervises one actor per runnable, which owns the runnable's run. This class is its façade.
/// Typical use: <c>CreateBuffer</c> and <c>Add</c> to build the graph, <see cref="StartAsync"/>,
/// then <see cref="WaitAsync"/> (or <see cref="StopAsync"/>), and dispose. Disposing stops whatever
/// still runs, with <see cref="PumaOptions.StopTimeout"/>.
/// </remarks>
public sealed partial class PumaRuntime : IAsyncDisposable
{
    private readonly PumaOptions _options;
    private readonly ILogger _log;
    private readonly Dictionary<string, PumaBuffer> _buffers = new(StringComparer.Ordinal);
    private readonly List<RunnableSlot> _slots = new();
    private readonly Dictionary<string, RunnableSlot> _slotsByName = new(StringComparer.Ordinal);
    private readonly Channel<StatusReport> _status;
    private readonly object _gate = new();
    private readonly ActorSystem? _clusterSystem;
    private TransportPlan? _transports;
    private NodeBridgeHub? _nodeBridges;
    private NodeDirectory? _nodes;
    private RuntimeState? _state;
    private IActorRef? _actor;
    private Task? _all;
    private Task<StopResult>? _stopping;
    private bool _disposed;
    private static int s_nextId;

    /// <summary>Creates a runtime.</summary>
    /// <param name="options">Its settings; defaults when null.</param>
    public PumaRuntime(PumaOptions? options = null)
    {
        _options = options ?? new PumaOptions();
        if (_options.StopTimeout < TimeSpan.Zero)
            throw new ArgumentOutOfRangeException(nameof(options), _options.StopTimeout, "PumaOptions.StopTimeout cannot be negative.");
        if (_options.StatusCapacity < 1)
            throw new ArgumentOutOfRangeException(nameof(options), _options.StatusCapacity, "PumaOptions.StatusCapacity must be at least 1.");
        _log = RootLogger.ForRunnable("supervisor");
        if (_options.Cluster is { } cluster)
        {
            if (_options.ActorSystem is not null)
                throw new ArgumentException("PumaOptions.Cluster and PumaOptions.ActorSystem cannot both be set: give a clustered ActorSystem (PumaCluster.CreateActorSystem) or the cluster settings, not both.", nameof(options));
            _clusterSystem = ClusterActorSystem.Create(cluster, []);
        }
        _status = Channel.CreateBounded<StatusReport>(new BoundedChannelOptions(_options.StatusCapacity)
        {
            FullMode = BoundedChannelFullMode.DropOldest,
            SingleReader = false,
            SingleWriter = false,
        });
    }

    /// <summary>
    /// The status stream: every <c>Context.ReportStatus</c> of every runnable, in order per runnable.
    /// Unread reports beyond <see cref="PumaOptions.StatusCapacity"/> are dropped oldest first.
    /// </summary>
    /// <remarks>
    /// The stream completes (without an error) once the runtime has ended: every runnable completed, stopped,
    /// failed for good, or was killed or abandoned by a stop; or when the runtime is disposed. So
    /// <c>await foreach (var r in runtime.Status.ReadAllAsync())</c> always finishes; call
    /// <see cref="WaitAsync"/> after it to learn whether a runnable failed.
    /// </remarks>
    public ChannelReader<StatusReport> Status => _status.Reader;

    /// <summary>
    /// A snapshot of every runnable, in the order they were added: name, placement, state, process id,
    /// restart count and how its last child process ended.
    /// </summary>
    public IReadOnlyList<RunnableInfo> Runnables
    {
        get
        {
            var started = IsStarted;
            return _slots.Select(s => s.Describe(started)).ToArray();
        }
    }

    /// <summary>A snapshot of one runnable (see <see cref="Runnables"/>).</summary>
    /// <param name="runnableName">The runnable's name.</param>
    /// <exception cref="ArgumentException">No runnable has that name.</exception>
    public RunnableInfo GetRunnable(string runnableName) => SlotNamed(runnableName).Describe(IsStarted);

    /// <summary>
    /// The supervisor's address in its cluster (e.g. <c>akka.tcp://puma@127.0.0.1:40123</c>), for node agents' <c>--seed</c>;
    /// null for a local runtime.
    /// </summary>
    public string? ClusterAddress => IsClustered(ActorSystem) ? Akka.Cluster.Cluster.Get(ActorSystem).SelfAddress.ToString() : null;

    /// <summary>True once <see cref="StartAsync"/> has run.</summary>
    public bool IsStarted => _all is not null;

    /// <summary>The names of the runnables added, in order.</summary>
    public IReadOnlyList<string> RunnableNames => _slots.Select(s => s.Name).ToArray();

    /// <summary>Creates a named buffer of <typeparamref name="T"/> items.</summary>
    /// <typeparam name="T">The item type.</typeparam>
    /// <param name="name">A name unique in this runtime.</param>
    /// <param name="capacity">The most items it holds before writers wait; at least 1.</param>
    /// <param name="mode">How items reach the readers: one reader (default), broadcast or competing.</param>
    /// <param name="capacityBytes">
    /// The size of the shared-memory ring used when the buffer crosses processes (a ring is bounded by
    /// bytes): a multiple of 8 from 256 bytes to 16 GiB; null for <paramref name="capacity"/> x 16 KiB, clamped to
    /// 4..256 MiB. The largest item that can cross processes is half of it minus 16 bytes.
    /// </param>
    /// <returns>The buffer; bind its <c>Writer</c> and <c>Reader</c> (or <c>AddReader()</c>) to runnable ports.</returns>
    /// <exception cref="ArgumentOutOfRangeException">
    /// <paramref name="capacity"/> is below 1, or <paramref name="capacityBytes"/> is outside 256..16 GiB or not a
    /// multiple of 8; the message names the buffer, the value and the range.
    /// </exception>
    public PumaBuffer<T> CreateBuffer<T>(string name, int capacity, BufferMode mode = BufferMode.ManyToOne, long? capacityBytes = null)
    {
        EnsureNotStarted();
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        if (_buffers.ContainsKey(name))
            throw new ArgumentException($"A buffer named '{name}' already exists in this runtime.", nameof(name));
        var buffer = new PumaBuffer<T>(name, capacity, mode, capacityBytes);
        _buffers.Add(name, buffer);
        return buffer;
    }

    /// <summary>Adds a runnable, to run in <paramref name="placement"/> when the runtime starts.</summary>
    /// <param name="runnable">The runnable; its <c>Name</c> (init-only) must be unique in this runtime, so one instance can be added once.</param>
    /// <param name="placement">Thread (default), Process, or Node (any node of the runtime's cluster).</param>
    /// <param name="failurePolicy">Its failure policy; the runtime's default when null.</param>
    public void Add(Runnable runnable, Placement placement = Placement.Thread, FailurePolicy? failurePolicy = null) =>
        Add(runnable, placement, placement == Placement.Node ? NodePlacement.AnyNode : null, failurePolicy);

    /// <summary>
    /// Adds a runnable, to run on a node of the runtime's cluster (<see cref="PumaOptions.Cluster"/>) that has the
    /// placement's role, in a child process of that node's agent. Commands, requests, status, failure policy, stop and
    /// logs behave as for <see cref="Placement.Process"/>; a restart may pick another node with the role.
    /// </summary>
    /// <param name="runnable">The runnable; its <c>Name</c> must be unique in this runtime.</param>
    /// <param name="placement">Which nodes may run it, e.g. <c>NodePlacement.WithRole("gpu")</c>.</param>
    /// <param name="failurePolicy">Its failure policy; the runtime's default when null.</param>
    public void Add(Runnable runnable, NodePlacement placement, FailurePolicy? failurePolicy = null)
    {
        ArgumentNullException.ThrowIfNull(placement);
        Add(runnable, Placement.Node, placement, failurePolicy);
    }

    private void Add(Runnable runnable, Placement placement, NodePlacement? node, FailurePolicy? failurePolicy)
    {
        ArgumentNullException.ThrowIfNull(runnable);
        EnsureNotStarted();
        if (!Enum.IsDefined(placement))
            throw new ArgumentOutOfRangeException(nameof(placement), placement, $"Unknown placement {(int)placement} for runnable '{runnable.Name}'.");
        if (_slotsByName.ContainsKey(runnable.Name))
            throw new ArgumentException($"A runnable named '{runnable.Name}' was already added: give each runnable a unique Name.", nameof(runnable));
        var slot = new RunnableSlot(runnable, placement, failurePolicy ?? _options.FailurePolicy, node);
        _slots.Add(slot);
        _slotsByName.Add(slot.Name, slot);
    }

    /// <summary>
    /// Validates the graph, opens the buffers and starts every runnable.
    /// </summary>
    /// <param name="cancellationToken">Cancels the start.</param>
    /// <exception cref="PumaValidationException">The graph is not valid; the message lists every problem.</exception>
    public Task StartAsync(CancellationToken cancellationToken = default)
    {
        EnsureNotStarted();
        cancellationToken.ThrowIfCancellationRequested();
        foreach (var slot in _slots)
            slot.Ports = RunnablePort.Discover(slot.Runnable);
        var problems = GraphValidator.Validate(_slots, _buffers);
        var transports = TransportPlan.Create(_slots, _buffers.Values, problems);
        var clustered = IsClustered(ActorSystem);
        foreach (var slot in _slots.Where(s => s.Placement == Placement.Node && !clustered))
            problems.Add($"Runnable '{slot.Name}' is placed on {slot.NodePlacement}, but the runtime has no cluster: set PumaOptions.Cluster, or give a clustered PumaOptions.ActorSystem.");
        foreach (var slot in _slots.Where(s => s.OutOfProcess))
        {
            try
            {
                ChildStartMessage.For(slot.Runnable, slot.Name, BindPortFor(slot), excludeProperty: ChildHostSetup.IsRunnableBaseProperty);
            }
            catch (RunnablePlacementException e)
            {
                problems.Add($"Runnable '{slot.Name}' cannot be placed in a process: {e.Message}");
            }
        }
        if (problems.Count > 0)
            throw new PumaValidationException(problems);

        _transports = transports;
        try
        {
            StartMetrics();
            transports.Open(_slots, _buffers.Values);
        }
        catch
        {
            transports.Dispose();
            throw;
        }

        if (_slots.Any(s => s.Placement == Placement.Node))
        {
            NodeDowningStarter.EnsureStarted(ActorSystem);
            _nodes = new NodeDirectory(ActorSystem);
            _nodeBridges = NodeBridgeHub.Create(_slots.Where(s => s.Placement == Placement.Node), transports,
                Akka.Cluster.Cluster.Get(ActorSystem).SelfAddress.Host ?? "127.0.0.1", ClusterOptions?.Tls, _log);
        }

        var state = new RuntimeState(_slots, transports, RootLogger, StartRun, _options.StopTimeout, TimeProvider.System) { NodeBridges = _nodeBridges };
        _state = state;
        _all = state.Ended.Task;
        WatchTerminators();
        _ = _all.ContinueWith(static (_, status) => ((Channel<StatusReport>)status!).Writer.TryComplete(), _status,
            CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        var system = ActorSystem;
        var name = $"puma-runtime-{Interlocked.Increment(ref s_nextId)}";
        _actor = system.ActorOf(Props.Create(() => new RuntimeActor(state)), name);
        AkkaLogRouter.Register(_actor.Path, RootLogger);

        _log.Debug("Starting {Count} runnables and {Buffers} buffers", _slots.Count, _buffers.Count);
        return WhenStartedAsync(_actor);
    }

    /// <summary>Completes once every runnable's actor has started its first run (or failed to), so that commands can reach it.</summary>
    private async Task WhenStartedAsync(IActorRef runtimeActor)
    {
        try
        {
            await Task.WhenAll(_slots.Select(s => s.FirstRunStarted.Task)).WaitAsync(TimeSpan.FromSeconds(30)).ConfigureAwait(false);
        }
        catch (TimeoutException e)
        {
            throw new InvalidOperationException($"The runnables' actors under {runtimeActor.Path} did not start within 30 s: is the ActorSystem terminated?", e);
        }
    }

    /// <summary>Sends a command to a runnable; returns once it is queued there.</summary>
    /// <param name="runnableName">The runnable.</param>
    /// <param name="command">The command; the runnable must have a handler for its type.</param>
    /// <param name="cancellationToken">Cancels the send.</param>
    /// <exception cref="UnknownCommandException">The runnable has no handler for the command's type.</exception>
    /// <exception cref="ArgumentException">No runnable has that name.</exception>
    public ValueTask SendAsync(string runnableName, object command, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(command);
        var slot = SlotNamed(runnableName);
        var run = CurrentRun(slot);
        if (slot.Finished.Task.IsCompleted || slot.Actor is not { } actor)
            return run.SendAsync(command, cancellationToken); // it ended: the run says why
        var ready = run.WhenReadyAsync(cancellationToken);
        if (!ready.IsCompletedSuccessfully)
            return SendWhenReadyAsync(run, ready, actor, command);
        run.CheckCommand(command.GetType());
        actor.Tell(new RunnableCommand(command, actor));
        return default;
    }

    /// <summary>
    /// The runnable's actor, for Akka code: <c>Tell</c> it a command, <c>Ask</c> it a request (a message whose type has
    /// a request handler; the reply is the handler's value, a handler's exception comes back as
    /// <see cref="Status.Failure"/>). Messages of a type it has no handler for are answered with a failure and logged.
    /// </summary>
    /// <param name="runnableName">The runnable.</param>
    /// <returns>Its actor; it stays the same across restarts and stops when the runnable has ended for good.</returns>
    /// <exception cref="ArgumentException">No runnable has that name.</exception>
    /// <exception cref="RunnableNotRunningException">The runtime has not been started.</exception>
    public IActorRef GetActorRef(string runnableName)
    {
        var slot = SlotNamed(runnableName);
        return slot.Actor ?? throw NotStarted(slot);
    }

    /// <summary>Sends a request to a runnable and returns its typed reply.</summary>
    /// <typeparam name="TReply">The reply type.</typeparam>
    /// <param name="runnableName">The runnable.</param>
    /// <param name="request">The request; the runnable must have a handler for its type.</param>
    /// <param name="cancellationToken">Cancels the wait for the reply.</param>
    /// <returns>The reply. An exception thrown by the handler is rethrown here.</returns>
    public async Task<TReply> AskAsync<TReply>(string runnableName, object request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var reply = await AskRunAsync(SlotNamed(runnableName), request, typeof(TReply), cancellationToken).ConfigureAwait(false);
        return reply is TReply typed
            ? typed
            : reply is null && default(TReply) is null
                ? default!
                : throw new InvalidCastException($"Runnable '{runnableName}' answered {request.GetType().Name} with {reply?.GetType().Name ?? "null"}, not {typeof(TReply).Name}.");
    }

    /// <summary>
    /// Waits until every runnable has ended. Throws the first failure as a
    /// <see cref="RunnableFailedException"/> naming the runnable, with the original exception inside.
    /// </summary>
    /// <remarks>
    /// Failures that are consequences of another come after every cause: a runnable that ended because an input
    /// failed, a writer whose readers' processes died (<see cref="Puma.Buffers.SharedMemory.PeerProcessDiedException"/>,
    /// <see cref="Puma.Buffers.BufferReaderGoneException"/>), a reader whose writer's process died. So a killed
    /// child is reported as itself, not as the producer that noticed first that nobody reads its buffer.
    /// </remarks>
    /// <param name="cancellationToken">Cancels the wait (not the runnables).</param>
    public async Task WaitAsync(CancellationToken cancellationToken = default)
    {
        var all = _all ?? throw new InvalidOperationException("The runtime has not been started: call StartAsync first.");
        await all.WaitAsync(cancellationToken).ConfigureAwait(false);
        _state!.ThrowIfFailed();
    }

    /// <summary>
    /// Asks every runnable to stop, waits up to <paramref name="timeout"/>, then abandons the thread
    /// runnables and kills the process runnables that are still running. Their outputs are completed.
    /// </summary>
    /// <param name="timeout">How long to wait for a graceful stop; <see cref="PumaOptions.StopTimeout"/> when null.</param>
    /// <param name="cancellationToken">Cancels the graceful wait (the forced end still happens).</param>
    /// <returns>What stopped, what was killed and what was abandoned.</returns>
    public Task<StopResult> StopAsync(TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        if (_actor is not { } actor || _all is not { } all)
            return Task.FromResult(new StopResult([], [], []));
        lock (_gate)
            return _stopping ??= StopAllAsync(actor, all, timeout ?? _options.StopTimeout, cancellationToken);
    }

    /// <summary>Stops whatever still runs (see <see cref="StopAsync"/>) and releases the buffers.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_disposed)
            return;
        _disposed = true;
        if (_all is { IsCompleted: false })
            await StopAsync().ConfigureAwait(false);
        if (_nodeBridges is not null)
            await _nodeBridges.DisposeAsync().ConfigureAwait(false);
        _transports?.Dispose();
        ReleaseOwned();
        _status.Writer.TryComplete();
        if (_actor is not null)
            AkkaLogRouter.Unregister(_actor.Path); // Akka's events about this runtime's actors went to its logger until now
        if (_clusterSystem is not null)
            await ClusterActorSystem.LeaveAndTerminateAsync(_clusterSystem, TimeSpan.FromSeconds(5)).ConfigureAwait(false);
    }

    private IRunnableRun StartRun(RunnableSlot slot)
    {
        if (slot.Placement == Placement.Node)
        {
            ProcessRun? run = null;
            var system = ActorSystem;
            var nodes = _nodes!;
            var ports = _nodeBridges!.PortsFor(slot);
            var timeout = ClusterOptions?.PlacementTimeout ?? TimeSpan.FromSeconds(30);
            run = new ProcessRun(slot, slot.RestartCount, RootLogger, BindPortFor(slot),
                (status, timestamp) => Publish(new StatusReport(slot.Name, run?.ProcessId ?? 0, timestamp, status)),
                (options, cancellationToken) => NodeChild.StartAsync(system, nodes, slot.NodePlacement!, slot.Name, ports, options, timeout, cancellationToken));
            return run;
        }
        if (slot.Placement == Placement.Process)
        {
            ProcessRun? run = null;
            run = new ProcessRun(slot, slot.RestartCount, RootLogger, BindPortFor(slot),
                (status, timestamp) => Publish(new StatusReport(slot.Name, run?.ProcessId ?? 0, timestamp, status)));
            return run;
        }
        var log = RootLogger.ForRunnable(slot.Name);
        return new ThreadRun(slot.Runnable, slot.RestartCount, status => ReportStatus(slot.Name, Environment.ProcessId, status), log, LoopCountersOf(slot.Name));
    }

    /// <summary>Describes the ports of a process runnable for its child: which buffer, which end, which segment and slot.</summary>
    private Func<System.Reflection.PropertyInfo, object?, PortBinding> BindPortFor(RunnableSlot slot) => (property, value) =>
    {
        if (value is null)
            return new PortBinding("", PortDirection.Reader, "", 0); // an unset port: validation reports it
        if (value is not IBufferEnd end)
        {
            throw new RunnablePlacementException(property.DeclaringType?.FullName ?? "?", property.Name,
                $"a port of a runnable placed in a process must be a buffer made by runtime.CreateBuffer, not {value?.GetType().Name ?? "null"}.");
        }

        RunnablePort.TryGetPortType(property.PropertyType, out var isInput, out var element);
        var readerSlot = _transports?.ReaderSlotOf(end.Buffer.Name, slot.Name, end.Index) ?? end.Index;
        return new PortBinding(end.Buffer.Name, isInput ? PortDirection.Reader : PortDirection.Writer, element.AssemblyQualifiedName!, readerSlot)
        {
            Segment = _transports?.SegmentOf(end.Buffer.Name),
        };
    };

    private ILogger RootLogger => _options.Logger ?? Serilog.Log.Logger;

    private void ReportStatus(string runnable, int processId, object value) =>
        Publish(new StatusReport(runnable, processId, DateTimeOffset.Now, value));

    /// <summary>A status report goes to <see cref="Status"/> and to the actor system's EventStream.</summary>
    private void Publish(StatusReport report)
    {
        _status.Writer.TryWrite(report);
        ActorSystem.EventStream.Publish(report);
    }

    private ActorSystem ActorSystem => _options.ActorSystem ?? _clusterSystem ?? PumaActorSystem.Shared;

    /// <summary>The cluster settings of this runtime's system: its own, or those a shared clustered system was made with.</summary>
    private PumaClusterOptions? ClusterOptions => _options.Cluster ?? (_options.ActorSystem is { } system ? PumaCluster.OptionsOf(system) : null);

    private static bool IsClustered(ActorSystem system) => system.Settings.ProviderClass.Contains("Cluster", StringComparison.Ordinal);

    private async ValueTask SendWhenReadyAsync(IRunnableRun run, ValueTask ready, IActorRef actor, object command)
    {
        await ready.ConfigureAwait(false);
        run.CheckCommand(command.GetType());
        actor.Tell(new RunnableCommand(command, actor));
    }

    /// <summary>
    /// A request through the runnable's actor. When the runnable ends for good before the actor answers (the actor
    /// may be gone), the ended run answers, with why it cannot.
    /// </summary>
    private async Task<object?> AskRunAsync(RunnableSlot slot, object request, Type replyType, CancellationToken cancellationToken)
    {
        var run = CurrentRun(slot);
        if (slot.Finished.Task.IsCompleted || slot.Actor is not { } actor)
            return await run.AskAsync(request, replyType, cancellationToken).ConfigureAwait(false);
        await run.WhenReadyAsync(cancellationToken).ConfigureAwait(false);
        run.CheckRequest(request.GetType());
        var ask = actor.Ask<RunnableReply>(new RunnableRequest(request, replyType, cancellationToken), cancellationToken);
        if (!ask.IsCompleted && await Task.WhenAny(ask, slot.Finished.Task).ConfigureAwait(false) != ask && !ask.IsCompleted)
            return await CurrentRun(slot).AskAsync(request, replyType, cancellationToken).ConfigureAwait(false);
        var reply = await ask.ConfigureAwait(false);
        if (reply.Error is { } error)
            ExceptionDispatchInfo.Throw(error);
        return reply.Value;
    }

    private async Task<StopResult> StopAllAsync(IActorRef actor, Task all, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var result = new TaskCompletionSource<StopResult>(TaskCreationOptions.RunContinuationsAsynchronously);
        actor.Tell(new StopAll(timeout, result));
        await using (cancellationToken.Register(static a => ((IActorRef)a!).Tell(StopTimedOut.Instance), actor).ConfigureAwait(false))
            await Task.WhenAny(result.Task, all).ConfigureAwait(false);
        if (result.Task.IsCompleted)
            return await result.Task.ConfigureAwait(false);

        // The runtime actor had already ended (everything had ended, or an earlier stop forced the rest): the same account.
        return _state!.StopResult();
    }

    private static IRunnableRun CurrentRun(RunnableSlot slot) => slot.Current ?? throw NotStarted(slot);

    private static RunnableNotRunningException NotStarted(RunnableSlot slot) =>
        new(slot.Name, $"Runnable '{slot.Name}' is not running: start the runtime first.");

    private RunnableSlot SlotNamed(string runnableName)
    {
        ArgumentNullException.ThrowIfNull(runnableName);
        return _slotsByName.TryGetValue(runnableName, out var slot)
            ? slot
            : throw new ArgumentException($"No runnable named '{runnableName}'; the runtime has: {string.Join(", ", _slotsByName.Keys)}.", nameof(runnableName));
    }

    private void EnsureNotStarted()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_all is not null)
            throw new InvalidOperationException("The runtime has already started: add buffers and runnables before StartAsync.");
    }
}
