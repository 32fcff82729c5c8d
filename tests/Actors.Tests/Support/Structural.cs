using System.Collections;
using AkkaDns.Resolver.Records;
using AkkaDns.Resolver.Wire;

namespace AkkaDns.Actors.Tests.Support;

/// <summary>Deep equality over public properties, sequences compared element by element (records holding
/// lists compare those by reference, which says nothing after a round trip).</summary>
internal static class Structural
{
    public static void AssertEqual(object? expected, object? actual, string path = "$")
    {
        if (expected is null || actual is null) { Assert.True(expected is null && actual is null, $"{path}: {expected} vs {actual}"); return; }
        Assert.True(expected.GetType() == actual.GetType() || (expected is IEnumerable && actual is IEnumerable),
            $"{path}: type {expected.GetType().Name} vs {actual.GetType().Name}");
        // Addresses compare by value (reading every property of one throws: IPv4's ScopeId, IPv6's Address).
        if (expected is System.Net.IPAddress or System.Net.EndPoint) { Assert.True(expected.Equals(actual), $"{path}: {expected} vs {actual}"); return; }
        switch (expected)
        {
            case string or DnsName or ResourceRecord or IComparable or IEquatable<DnsName>:
                if (expected is ResourceRecord rr) { Assert.True(rr.Equals(actual), $"{path}: {rr.Owner}/{rr.Type} differs"); return; }
                if (expected is string || expected is DnsName || expected.GetType().IsPrimitive || expected.GetType().IsEnum || expected is DateTimeOffset || expected is decimal)
                { Assert.True(expected.Equals(actual), $"{path}: {expected} vs {actual}"); return; }
                break;
            case byte[] bytes:
                Assert.Equal(bytes, (byte[])actual); return;
            case IEnumerable seq:
                var a = seq.Cast<object?>().ToList(); var b = ((IEnumerable)actual).Cast<object?>().ToList();
                Assert.True(a.Count == b.Count, $"{path}: {a.Count} vs {b.Count} items");
                for (int i = 0; i < a.Count; i++) AssertEqual(a[i], b[i], $"{path}[{i}]");
                return;
        }
        var props = expected.GetType().GetProperties().Where(p => p.GetIndexParameters().Length == 0 && p.Name != "EqualityContract").ToList();
        if (props.Count == 0) { Assert.True(expected.Equals(actual), $"{path}: {expected} vs {actual}"); return; }
        foreach (var p in props) AssertEqual(p.GetValue(expected), p.GetValue(actual), $"{path}.{p.Name}");
    }
}
