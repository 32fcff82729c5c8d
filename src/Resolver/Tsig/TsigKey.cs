using System.Collections.Frozen;
using AkkaDns.Resolver.Wire;

namespace AkkaDns.Resolver.Tsig;

/// <summary>A shared TSIG key. The secret never appears in <see cref="ToString"/> (keys end up in logs).</summary>
public sealed record TsigKey(DnsName Name, TsigAlgorithm Algorithm, byte[] Secret)
{
    public override string ToString() => $"TsigKey {{ Name = {Name}, Algorithm = {TsigAlgorithms.ToName(Algorithm)}, Secret = ({Secret.Length} bytes) }}";
}

/// <summary>Finds a key by its name as it came off the wire (uncompressed, any case).</summary>
public interface ITsigKeyring
{
    TsigKey? Find(ReadOnlySpan<byte> wireName);
}

/// <summary>
/// The keys a server accepts. <see cref="Replace"/> builds a new immutable map and swaps it in one write;
/// readers take the current map without a lock, and a lookup allocates nothing.
/// </summary>
public sealed class TsigKeyStore : ITsigKeyring
{
    private sealed record Snapshot(FrozenDictionary<int, TsigKey[]> ByHash, int Count);

    private volatile Snapshot _current = new(FrozenDictionary<int, TsigKey[]>.Empty, 0);

    public TsigKeyStore() { }
    public TsigKeyStore(IEnumerable<TsigKey> keys) => Replace(keys);

    public int Count => _current.Count;

    /// <summary>Installs exactly these keys; a later key with the same name (any case) wins.</summary>
    public void Replace(IEnumerable<TsigKey> keys)
    {
        var unique = new Dictionary<DnsName, TsigKey>();
        foreach (var k in keys) unique[k.Name] = k;
        var map = unique.Values.GroupBy(k => k.Name.GetHashCode()).ToFrozenDictionary(g => g.Key, g => g.ToArray());
        _current = new Snapshot(map, unique.Count);
    }

    public TsigKey? Find(ReadOnlySpan<byte> wireName)
    {
        if (!_current.ByHash.TryGetValue(DnsName.HashWire(wireName), out var keys)) return null;
        foreach (var k in keys)
            if (DnsName.EqualsIgnoreCase(k.Name.Wire, wireName)) return k;
        return null;
    }
}

/// <summary>TSIG error field values (RFC 8945 §3, IANA).</summary>
public enum TsigError : ushort { NoError = 0, BadSig = 16, BadKey = 17, BadTime = 18, BadTrunc = 22 }

/// <summary>What verifying a signed message found. <see cref="FormErr"/> means answer FORMERR, unsigned.</summary>
public enum TsigStatus { Unsigned, Ok, BadKey, BadSig, BadTime, BadTrunc, FormErr }
