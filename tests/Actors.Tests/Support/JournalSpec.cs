using Akka.Configuration;
using Akka.TestKit.Xunit2;
using Xunit.Abstractions;

namespace AkkaDns.Actors.Tests.Support;

/// <summary>
/// An Akka.TestKit spec on a journal of its own: the actor system is configured from <see cref="Journal"/>
/// (an optional overlay above it, an optional fallback below it), joins itself as a one-node cluster before
/// the first test when asked to, and the journal is disposed after the actor system has stopped.
/// A spec that starts more (zones, a datacenter) overrides <see cref="InitializeAsync"/> and awaits the base first.
/// </summary>
public abstract class JournalSpec : TestKit, IAsyncLifetime
{
    private readonly bool _joinCluster;

    protected JournalSpec(TestJournal journal, string systemName, ITestOutputHelper output,
        Config? overlay = null, Config? fallback = null, bool joinCluster = true)
        : base(ConfigFor(journal, overlay, fallback), systemName, output)
    {
        Journal = journal;
        _joinCluster = joinCluster;
    }

    /// <summary>The journal this spec's actor system writes to; query it to see what was persisted.</summary>
    protected TestJournal Journal { get; }

    public virtual Task InitializeAsync() => _joinCluster ? SingleNode.JoinSelfAsync(Sys) : Task.CompletedTask;

    public virtual Task DisposeAsync() => Task.CompletedTask;

    /// <summary>The actor system first (it may still write while stopping), then the journal under it.</summary>
    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing) Journal.Dispose();
    }

    private static Config ConfigFor(TestJournal journal, Config? overlay, Config? fallback)
    {
        var config = journal.ActorSystemConfig();
        if (overlay is not null) config = overlay.WithFallback(config);
        if (fallback is not null) config = config.WithFallback(fallback);
        return config;
    }
}
