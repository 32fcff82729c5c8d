namespace AkkaDns.Actors.Propagation;

/// <summary>
/// The name of a datacenter (<c>akkadns.datacenter.name</c>, e.g. "fra-1"): how acks, reports, drains and fence
/// probes say which datacenter they are about. A type of its own so that it cannot be passed where a zone
/// (<see cref="Zones.ZoneId"/>) is meant. Compared exactly (ordinal), as the serving set stores it.
/// </summary>
public sealed record DatacenterName : IComparable<DatacenterName>
{
    private DatacenterName(string value) => Value = value;

    public string Value { get; }

    /// <summary>Trims <paramref name="text"/>; refuses an empty name or one with whitespace or control characters.</summary>
    public static DatacenterName Parse(string text) =>
        TryParse(text, out var name, out var problem) ? name! : throw new FormatException(problem);

    public static bool TryParse(string? text, out DatacenterName? name, out string? problem)
    {
        name = null;
        text = text?.Trim();
        if (string.IsNullOrEmpty(text)) { problem = "a datacenter name must not be empty"; return false; }
        foreach (var c in text)
        {
            if (char.IsWhiteSpace(c) || char.IsControl(c))
            {
                problem = $"datacenter name '{text}' has whitespace or a control character";
                return false;
            }
        }
        problem = null;
        name = new DatacenterName(text);
        return true;
    }

    public bool Equals(DatacenterName? other) => other is not null && string.Equals(Value, other.Value, StringComparison.Ordinal);
    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(Value);
    public int CompareTo(DatacenterName? other) => other is null ? 1 : string.CompareOrdinal(Value, other.Value);
    public override string ToString() => Value;
}
