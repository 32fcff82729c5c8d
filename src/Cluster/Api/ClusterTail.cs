using System.Text.Json;
using System.Threading.Channels;
using Akka.Actor;
using Akka.Cluster;
using Microsoft.AspNetCore.Http;
using AkkaCluster = Akka.Cluster.Cluster;

namespace AkkaDns.Cluster.Api;

/// <summary>
/// <c>GET /api/v1/cluster/tail</c>: membership and reachability events as server-sent events, one JSON per
/// <c>data:</c> line, until the client goes away. An actor per request subscribes to the cluster's events (the
/// current members first, as events) and hands them to the response through a bounded channel.
/// </summary>
internal static class ClusterTail
{
    public static async Task StreamAsync(ActorSystem system, HttpContext http, CancellationToken ct)
    {
        // A slow reader loses the oldest events rather than growing memory without bound.
        var channel = Channel.CreateBounded<MemberEventJson>(new BoundedChannelOptions(1024) { FullMode = BoundedChannelFullMode.DropOldest });
        var tail = system.ActorOf(Props.Create(() => new TailActor(channel.Writer)));
        try
        {
            http.Response.ContentType = "text/event-stream";
            http.Response.Headers.CacheControl = "no-cache";
            await http.Response.WriteAsync(": akkadns cluster tail\n\n", ct);
            await http.Response.Body.FlushAsync(ct);
            await foreach (var e in channel.Reader.ReadAllAsync(ct))
            {
                await http.Response.WriteAsync("data: " + JsonSerializer.Serialize(e, ApiJson.Options) + "\n\n", ct);
                await http.Response.Body.FlushAsync(ct);
            }
        }
        catch (OperationCanceledException) { /* client left: the normal end of a tail */ }
        finally
        {
            tail.Tell(PoisonPill.Instance);
        }
    }

    private sealed class TailActor : ReceiveActor
    {
        private readonly ChannelWriter<MemberEventJson> _out;

        public TailActor(ChannelWriter<MemberEventJson> output)
        {
            _out = output;
            Receive<ClusterEvent.IMemberEvent>(e => Emit(Name(e), e.Member));
            Receive<ClusterEvent.UnreachableMember>(e => Emit("unreachable", e.Member));
            Receive<ClusterEvent.ReachableMember>(e => Emit("reachable", e.Member));
            Receive<ClusterEvent.LeaderChanged>(e => _out.TryWrite(new MemberEventJson(DateTimeOffset.UtcNow, "leader", e.Leader?.ToString() ?? "", [], "")));
        }

        private static string Name(ClusterEvent.IMemberEvent e) => e switch
        {
            ClusterEvent.MemberJoined => "joined",
            ClusterEvent.MemberUp => "up",
            ClusterEvent.MemberWeaklyUp => "weakly-up",
            ClusterEvent.MemberLeft => "left",
            ClusterEvent.MemberExited => "exited",
            ClusterEvent.MemberRemoved => "removed",
            _ => e.GetType().Name,
        };

        private void Emit(string kind, Member m) =>
            _out.TryWrite(new MemberEventJson(DateTimeOffset.UtcNow, kind, m.Address.ToString(), [.. m.Roles.Order()], m.Status.ToString()));

        protected override void PreStart() => AkkaCluster.Get(Context.System).Subscribe(Self, ClusterEvent.SubscriptionInitialStateMode.InitialStateAsEvents,
            typeof(ClusterEvent.IMemberEvent), typeof(ClusterEvent.IReachabilityEvent), typeof(ClusterEvent.LeaderChanged));

        protected override void PostStop()
        {
            AkkaCluster.Get(Context.System).Unsubscribe(Self);
            _out.TryComplete();
        }
    }
}
