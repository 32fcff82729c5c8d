namespace AkkaDns.Resolver.Tests.ZoneFiles;

/// <summary>Paths of the zone fixtures copied next to the test assembly.</summary>
internal static class ZoneFixtures
{
    public static string Dir => Path.Combine(AppContext.BaseDirectory, "TestData", "Zones");
    public static string PathOf(string relative) => Path.Combine(Dir, relative);
}
