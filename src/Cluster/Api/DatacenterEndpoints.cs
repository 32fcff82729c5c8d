using Akka.Actor;
using Akka.Hosting;
using AkkaDns.Actors.Propagation;
using AkkaDns.Cluster.Node;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace AkkaDns.Cluster.Api;

/// <summary>
/// Datacenters and the serving set: <c>GET /api/v1/datacenters</c> (the DeliverySupervisor's status) and
/// <c>POST /api/v1/datacenters/{name}/drain|undrain</c> (operator verbs; an operator's drain stays until undrained).
/// Any node answers: the supervisor is a cluster singleton reached through its proxy.
/// </summary>
internal static class DatacenterEndpoints
{
    public const string Path = "/api/v1/datacenters";

    public static IEndpointRouteBuilder MapDatacenterApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup(Path);
        group.MapGet("", Status);
        group.MapPost("/{name}/drain", (string name, IRequiredActor<DeliverySupervisor> s, NodeSettings n, CancellationToken ct) =>
            Operator(name, dc => new DrainDatacenter(dc), s, n, ct));
        group.MapPost("/{name}/undrain", (string name, IRequiredActor<DeliverySupervisor> s, NodeSettings n, CancellationToken ct) =>
            Operator(name, dc => new UndrainDatacenter(dc), s, n, ct));
        return app;
    }

    private static async Task<IResult> Status(IRequiredActor<DeliverySupervisor> supervisor, NodeSettings node, CancellationToken ct)
    {
        try
        {
            var report = await supervisor.ActorRef.Ask<DeliveryStatusReport>(GetDeliveryStatus.Instance, node.AskTimeout, ct);
            return ApiResults.Json(ToJson(report));
        }
        catch (AskTimeoutException)
        {
            return Unavailable(node);
        }
    }

    private static async Task<IResult> Operator(string name, Func<DatacenterName, object> verbFor, IRequiredActor<DeliverySupervisor> supervisor,
        NodeSettings node, CancellationToken ct)
    {
        if (!DatacenterName.TryParse(name, out var datacenter, out var problem))
            return ApiResults.Error(StatusCodes.Status400BadRequest, problem!);
        var verb = verbFor(datacenter!);
        try
        {
            var reply = await supervisor.ActorRef.Ask<OperatorReply>(verb, node.AskTimeout, ct);
            return reply.Ok
                ? ApiResults.Json(new OperatorJson(reply.Name.Value, reply.Message))
                : ApiResults.Error(StatusCodes.Status404NotFound, reply.Message);
        }
        catch (AskTimeoutException)
        {
            return Unavailable(node);
        }
    }

    private static IResult Unavailable(NodeSettings node) => ApiResults.Error(StatusCodes.Status503ServiceUnavailable,
        $"the delivery supervisor did not answer within {node.AskTimeout.TotalSeconds:0.#} s (no node with role zones up?)");

    public static DatacentersJson ToJson(DeliveryStatusReport r) => new(r.At, r.Floor,
        r.Datacenters.Select(d => new DatacenterJson(d.Name.Value, d.Serving ? "serving" : "drained", d.Drain == nameof(DrainReason.None) ? null : d.Drain.ToLowerInvariant(),
            d.Why, d.VersionsBehind, d.ZonesBehind, d.SecondsBehind, d.LastAck, d.ConsecutiveFailures, d.RecentFailures, d.Alert)).ToList(),
        r.Alerts);
}

internal sealed record DatacentersJson(DateTimeOffset At, int Floor, IReadOnlyList<DatacenterJson> Datacenters, IReadOnlyList<string> Alerts);

internal sealed record DatacenterJson(
    string Name, string State, string? DrainReason, string? Why, long VersionsBehind, int ZonesBehind, double SecondsBehind,
    DateTimeOffset? LastAck, int ConsecutiveFailures, IReadOnlyList<string> RecentFailures, string? Alert);

internal sealed record OperatorJson(string Name, string Message);
