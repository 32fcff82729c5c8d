using AkkaDns.Resolver.Wire;

namespace AkkaDns.Actors.Zones;

/// <summary>
/// The identity of a zone: its apex as an absolute, lower-case name in presentation form ("example.com.").
/// Normalized once here, where a name enters the actor layer, so that "Example.COM" and "example.com."
/// reach the same entity, the same journal stream and the same shard.
/// </summary>
public sealed record ZoneId : IComparable<ZoneId>
{
    private ZoneId(DnsName name)
    {
        Name = name;
        Value = name.ToString();
    }

    /// <summary>The apex, lower case.</summary>
    public DnsName Name { get; }

    /// <summary>The apex in absolute presentation form, lower case ("example.com."): the entity id.</summary>
    public string Value { get; }

    public static ZoneId From(DnsName apex) => new(apex.ToLowerCase());

    /// <summary>Parses a zone name; a missing trailing dot is accepted ("example.com" = "example.com.").</summary>
    public static ZoneId Parse(string text)
    {
        if (string.IsNullOrWhiteSpace(text)) throw new FormatException("empty zone name");
        text = text.Trim();
        return From(DnsName.Parse(text.EndsWith('.') ? text : text + "."));
    }

    public static bool TryParse(string text, out ZoneId? id)
    {
        id = null;
        if (string.IsNullOrWhiteSpace(text)) return false;
        text = text.Trim();
        if (!DnsName.TryParse(text.EndsWith('.') ? text : text + ".", null, out var name, out _)) return false;
        id = From(name!);
        return true;
    }

    public bool Equals(ZoneId? other) => other is not null && string.Equals(Value, other.Value, StringComparison.Ordinal);
    public override int GetHashCode() => Name.GetHashCode();
    public int CompareTo(ZoneId? other) => other is null ? 1 : Name.CompareTo(other.Name);
    public override string ToString() => Value;
}

/// <summary>Every message addressed to one zone; the shard extractor routes on it and on nothing else.</summary>
public interface IWithZoneId
{
    ZoneId ZoneId { get; }
}
