using Akka.Actor;
using AkkaDns.Actors.Zones;
using AkkaDns.Resolver.Records;

namespace AkkaDns.Cluster.ZoneService;

/// <summary>
/// Fetches one zone in chunks (<see cref="ZoneQueries.GetZoneChunked"/>) for the admin edge: Ask takes one reply
/// only, and a whole large zone in one reply would exceed Akka.Remote's frame size when the zone lives on another
/// node (the sender drops it silently). A short-lived actor collects every chunk, then completes the task with a
/// <see cref="ZoneView"/>, the <see cref="ZoneNotFound"/>, or null on timeout.
/// </summary>
internal sealed class ZoneFetchActor : ReceiveActor
{
    private readonly TaskCompletionSource<object?> _done;
    private ZoneViewChunk?[]? _chunks;
    private int _received;

    // Public: Akka creates actors through their constructor by reflection.
    public ZoneFetchActor(IActorRef region, ZoneId zone, TimeSpan timeout, TaskCompletionSource<object?> done)
    {
        _done = done;
        region.Tell(new ZoneQueries.GetZoneChunked(zone));
        SetReceiveTimeout(timeout);
        Receive<ZoneNotFound>(Finish);
        Receive<ZoneViewChunk>(chunk =>
        {
            _chunks ??= new ZoneViewChunk?[chunk.Count];
            if (chunk.Index < 0 || chunk.Index >= _chunks.Length || _chunks[chunk.Index] is not null) return;
            _chunks[chunk.Index] = chunk;
            if (++_received < _chunks.Length) return;
            var records = new List<ResourceRecord>();
            foreach (var c in _chunks) records.AddRange(c!.Records);
            Finish(new Actors.Zones.ZoneView(chunk.ZoneId, chunk.Version, chunk.Serial, records) { Lineage = chunk.Lineage });
        });
        Receive<ReceiveTimeout>(_ => Finish(null));
    }

    private void Finish(object? result)
    {
        _done.TrySetResult(result);
        Context.Stop(Self);
    }
}

/// <summary>Starts a <see cref="ZoneFetchActor"/> from the admin edge. A class of its own, not a static member of the
/// actor: <c>ActorSystem.ActorOf</c> inside an actor class reads as an actor making a top-level actor instead of a
/// child (analyzer AK1008); this runs outside any actor, where a top-level actor is what is meant.</summary>
internal static class ZoneFetch
{
    /// <summary>The zone, <see cref="ZoneNotFound"/>, or null when the chunks did not all arrive within <paramref name="timeout"/>.</summary>
    public static Task<object?> Run(ActorSystem system, IActorRef region, ZoneId zone, TimeSpan timeout, CancellationToken ct)
    {
        var done = new TaskCompletionSource<object?>(TaskCreationOptions.RunContinuationsAsynchronously);
        var actor = system.ActorOf(Props.Create(() => new ZoneFetchActor(region, zone, timeout, done)));
        if (ct.CanBeCanceled) ct.Register(() => { if (done.TrySetCanceled(ct)) actor.Tell(PoisonPill.Instance); });
        return WithDeadline(done, actor, timeout * 3);
    }

    /// <summary>Whatever happens to the actor (even a failure to start), the caller gets an answer in bounded time.</summary>
    private static async Task<object?> WithDeadline(TaskCompletionSource<object?> done, IActorRef actor, TimeSpan deadline)
    {
        if (await Task.WhenAny(done.Task, Task.Delay(deadline)) == done.Task) return await done.Task;
        done.TrySetResult(null);
        actor.Tell(PoisonPill.Instance);
        return null;
    }
}
