using AkkaDns.Resolver.Serving;
using AkkaDns.Resolver.Wire;
using AkkaDns.Resolver.ZoneFiles;

namespace AkkaDns.Cluster.Serve;

/// <summary>A zone file that stops start-up: the message already names file:line (or the argument) and the problem.</summary>
internal sealed class ZoneLoadException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>Static mode's zones: each <c>--zone</c> argument read, validated, compiled and published into one table.</summary>
internal static class StaticZoneSet
{
    public static ZoneTable Load(IEnumerable<string> zoneArguments)
    {
        var table = new ZoneTable();
        var seen = new Dictionary<DnsName, string>();
        foreach (var arg in zoneArguments)
        {
            CompiledZone compiled;
            string path;
            try
            {
                (var origin, path) = ZoneLoader.ParseZoneArgument(arg);
                var zone = ZoneLoader.LoadFile(path, origin);
                compiled = CompiledZone.Compile(zone);
            }
            catch (MasterFileException e) { throw new ZoneLoadException(e.Message, e); }
            catch (ZoneValidationException e) { throw new ZoneLoadException(e.Message, e); }
            catch (ArgumentException e) { throw new ZoneLoadException(e.Message, e); }
            if (seen.TryGetValue(compiled.Origin, out var first))
                throw new ZoneLoadException($"{path}: zone {compiled.Origin} is already loaded from {first}");
            seen[compiled.Origin] = path;
            table.Publish(compiled);
        }
        return table;
    }
}
