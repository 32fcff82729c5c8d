using Akka.DistributedData;

namespace AkkaDns.Actors.Propagation;

/// <summary>
/// The serving set as replicated cluster state: the datacenters taken out of serving, each with why
/// ("Lag: …", "Failures: …", "Operator: …"). Absent means serving. Written by the DeliverySupervisor only,
/// read by every edge (<see cref="ServingGate"/>) and by status queries.
/// </summary>
internal static class ServingSet
{
    public static readonly LWWDictionaryKey<string, string> Key = new("akkadns-drained-datacenters");

    public static string Describe(DrainReason reason, string? detail) => $"{reason}: {detail}";

    public static bool IsOperatorDrain(string description) => description.StartsWith(nameof(DrainReason.Operator) + ":", StringComparison.Ordinal);

    public static DrainReason ReasonOf(string description)
    {
        var head = description.Split(':', 2)[0];
        return Enum.TryParse<DrainReason>(head, out var r) ? r : DrainReason.Lag;
    }
}
