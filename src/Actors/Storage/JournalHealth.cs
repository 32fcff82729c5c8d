using System.Collections.Concurrent;
using Akka.Actor;

namespace AkkaDns.Actors.Storage;

/// <summary>
/// What this node's persistent actors learnt about the journal, for the admin API of the same node. When the journal
/// database is gone, a zone actor that fails to persist replies with the cause itself, but one that fails to
/// <em>recover</em> is stopped by Akka.Persistence with the command still stashed: the caller would wait its whole ask
/// timeout for a reply that cannot come, and then could only say "may or may not be stored". A caller waits here for
/// the failure of the one actor it asked instead (<see cref="NextFailure"/>), and answers at once with the cause.
/// One instance per actor system (an Akka extension), so test systems in one process stay apart.
/// </summary>
public sealed class JournalHealth : IExtension
{
    private readonly ConcurrentDictionary<string, TaskCompletionSource<string>> _waiters = new();
    private (DateTimeOffset At, string Problem)? _last;

    public static JournalHealth Get(ActorSystem system) => system.WithExtension<JournalHealth, JournalHealthProvider>();

    /// <summary>Completes with the problem when the actor <paramref name="persistenceId"/> next fails to read or write
    /// the journal. Ask for it before sending the command.</summary>
    public Task<string> NextFailure(string persistenceId) =>
        _waiters.GetOrAdd(persistenceId, _ => new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously)).Task;

    /// <summary>Called by a persistent actor whose journal read or write failed.</summary>
    public void Failed(string persistenceId, string problem)
    {
        _last = (DateTimeOffset.UtcNow, problem);
        if (_waiters.TryRemove(persistenceId, out var waiter)) waiter.TrySetResult(problem);
    }

    /// <summary>The last journal failure seen on this node within <paramref name="within"/>, for error messages.</summary>
    public string? RecentFailure(TimeSpan within) =>
        _last is { } last && DateTimeOffset.UtcNow - last.At <= within ? $"{last.Problem} ({(DateTimeOffset.UtcNow - last.At).TotalSeconds:0} s ago)" : null;

    /// <summary>The innermost message of a journal exception (Npgsql's "42P01: relation "journal" does not exist").</summary>
    public static string Describe(Exception cause) => cause.GetBaseException().Message.Split('\n')[0].Trim();
}

internal sealed class JournalHealthProvider : ExtensionIdProvider<JournalHealth>
{
    public override JournalHealth CreateExtension(ExtendedActorSystem system) => new();
}
