using AkkaDns.Cluster.Tests.Support;

namespace AkkaDns.Cluster.Tests.Differential;

public static class RichZone
{
    public const string Origin = QuerySet.Origin;
    public static string File => Path.Combine(AppContext.BaseDirectory, "TestData", "rich.example.zone");
    public const string ChildOrigin = "sub.rich.example.";
    public static string ChildFile => Path.Combine(AppContext.BaseDirectory, "TestData", "sub.rich.example.zone");
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

/// <summary>knotd with <c>udp-max-payload: 4096</c>, so EDNS sizes above the 1232 default are really exercised.</summary>
public sealed class LargePayloadKnotFixture : IDisposable
{
    public const int MaxUdpPayload = 4096;
    public KnotRunner Knot { get; } = KnotRunner.Start(RichZone.Origin, RichZone.File, udpMaxPayload: MaxUdpPayload);
    public void Dispose() => Knot.Dispose();
}

/// <summary><c>akkadns serve --max-udp-payload 4096</c>, the counterpart of <see cref="LargePayloadKnotFixture"/>.</summary>
public sealed class LargePayloadAkkaDnsFixture : IDisposable
{
    public AkkaDnsServeProcess Server { get; } = AkkaDnsServeProcess.Start([RichZone.File],
        extraArguments: ["--max-udp-payload", LargePayloadKnotFixture.MaxUdpPayload.ToString()]);
    public void Dispose() => Server.Dispose();
}

/// <summary>knotd serving rich.example. and its child zone sub.rich.example. together.</summary>
public sealed class TwoZoneKnotFixture : IDisposable
{
    public KnotRunner Knot { get; } = KnotRunner.Start([(RichZone.Origin, RichZone.File), (RichZone.ChildOrigin, RichZone.ChildFile)]);
    public void Dispose() => Knot.Dispose();
}

/// <summary><c>akkadns serve</c> with the same two zones.</summary>
public sealed class TwoZoneAkkaDnsFixture : IDisposable
{
    public AkkaDnsServeProcess Server { get; } = AkkaDnsServeProcess.Start([RichZone.File, RichZone.ChildFile]);
    public void Dispose() => Server.Dispose();
}
