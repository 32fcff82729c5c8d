using AkkaDns.Resolver.Wire;

namespace AkkaDns.Resolver.Records;

/// <summary>Raised when RDATA text or bytes are not valid for their type; the message says what and where.</summary>
public sealed class RDataFormatException(string message) : FormatException(message);

/// <summary>
/// RDATA of every type: presentation text ⇄ uncompressed wire form, driven by one descriptor per type
/// (like Knot's rdata descriptors). Unknown types use RFC 3597 <c>\# len hex</c>.
/// </summary>
public static partial class RData
{
    /// <summary>Parses RDATA presentation text (e.g. "10 mail.example.com.") of <paramref name="type"/>;
    /// relative names are completed with <paramref name="origin"/>. Throws <see cref="RDataFormatException"/>.</summary>
    public static byte[] Parse(RecordType type, string text, DnsName origin) => throw new NotImplementedException();

    /// <summary>Presentation text of wire RDATA (absolute names). Malformed RDATA is shown as <c>\# len hex</c>.</summary>
    public static string Format(RecordType type, ReadOnlySpan<byte> rdata) => throw new NotImplementedException();

    /// <summary>Checks that wire RDATA is well formed for its type.</summary>
    public static bool IsValid(RecordType type, ReadOnlySpan<byte> rdata, out string? error) => throw new NotImplementedException();

    /// <summary>The (offset, length) of each domain name inside the RDATA that may be compressed on output
    /// (RFC 3597 §4: only the RFC 1035 types NS, CNAME, SOA, PTR, MX, MB, MD, MF, MG, MR, MINFO).</summary>
    public static IReadOnlyList<(int Offset, int Length)> CompressibleNames(RecordType type, ReadOnlySpan<byte> rdata) => throw new NotImplementedException();

    /// <summary>The name that additional-section processing or chasing follows: NS/CNAME/DNAME/PTR target,
    /// MX exchange, SRV target; null for other types.</summary>
    public static DnsName? TargetName(RecordType type, ReadOnlySpan<byte> rdata) => throw new NotImplementedException();
}
