using AkkaDns.Cluster.Tests.Support;

namespace AkkaDns.Cluster.Tests.Differential;

public static class RichZone
{
    public const string Origin = QuerySet.Origin;
    public static string File => Path.Combine(AppContext.BaseDirectory, "TestData", "rich.example.zone");
}

/// <summary>One knotd serving TestData/rich.example.zone for a test class.</summary>
public sealed class KnotFixture : IDisposable
{
    public KnotRunner Knot { get; } = KnotRunner.Start(RichZone.Origin, RichZone.File);
    public void Dispose() => Knot.Dispose();
}

/// <summary>One <c>akkadns serve</c> process serving TestData/rich.example.zone for a test class.</summary>
public sealed class AkkaDnsFixture : IDisposable
{
    public AkkaDnsServeProcess Server { get; } = AkkaDnsServeProcess.Start([RichZone.File]);
    public void Dispose() => Server.Dispose();
}
