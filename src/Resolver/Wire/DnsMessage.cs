using AkkaDns.Resolver.Records;

namespace AkkaDns.Resolver.Wire;

/// <summary>One entry of the question section.</summary>
public sealed record DnsQuestion(DnsName Name, RecordType Type, RecordClass Class = RecordClass.IN)
{
    public override string ToString() => $"{Name} {ClassText(Class)} {RecordTypes.ToText(Type)}";

    internal static string ClassText(RecordClass c) => Enum.IsDefined(c) ? c.ToString() : "CLASS" + (ushort)c;
}

/// <summary>
/// One resource record as it travelled in a message: like <see cref="ResourceRecord"/> but with its class.
/// <see cref="RData"/> is always uncompressed wire form (the reader expands compressed names inside known types).
/// </summary>
public sealed class DnsRecord : IEquatable<DnsRecord>
{
    public DnsRecord(DnsName owner, RecordType type, RecordClass @class, uint ttl, byte[] rdata)
    {
        Owner = owner; Type = type; Class = @class; Ttl = ttl; RData = rdata;
    }

    public DnsRecord(ResourceRecord rr) : this(rr.Owner, rr.Type, RecordClass.IN, rr.Ttl, rr.RData) { }

    public DnsName Owner { get; }
    public RecordType Type { get; }
    public RecordClass Class { get; }
    public uint Ttl { get; }
    /// <summary>Uncompressed wire RDATA. Do not mutate.</summary>
    public byte[] RData { get; }

    public ResourceRecord ToResourceRecord() => new(Owner, Type, Ttl, RData);

    public bool Equals(DnsRecord? other) => other is not null && Type == other.Type && Class == other.Class
        && Ttl == other.Ttl && Owner.Equals(other.Owner) && RData.AsSpan().SequenceEqual(other.RData);
    public override bool Equals(object? obj) => obj is DnsRecord r && Equals(r);
    public override int GetHashCode() => HashCode.Combine(Owner, Type, Class, Ttl, RData.Length);

    /// <summary>Presentation form <c>owner TTL CLASS TYPE rdata</c> (RDATA formatted by <see cref="Records.RData.Format"/>).</summary>
    public override string ToString()
    {
        string data;
        try { data = Records.RData.Format(Type, RData); }
        catch (NotImplementedException) { data = $"\\# {RData.Length} {Convert.ToHexString(RData)}"; }
        return $"{Owner} {Ttl} {DnsQuestion.ClassText(Class)} {RecordTypes.ToText(Type)} {data}";
    }
}

/// <summary>One EDNS option (RFC 6891 §6.1.2): code and opaque data.</summary>
public sealed record EdnsOption(ushort Code, byte[] Data)
{
    public bool Equals(EdnsOption? other) => other is not null && Code == other.Code && Data.AsSpan().SequenceEqual(other.Data);
    public override int GetHashCode() => HashCode.Combine(Code, Data.Length);
}

/// <summary>The OPT pseudo-record's fields (RFC 6891 §6.1.3), parsed out of the additional section.</summary>
public sealed class Edns
{
    /// <summary>Requestor's UDP payload size (the OPT CLASS field).</summary>
    public ushort UdpPayloadSize { get; set; } = 1232;
    public byte Version { get; set; }
    /// <summary>DNSSEC OK bit (RFC 3225).</summary>
    public bool DnssecOk { get; set; }
    /// <summary>The other 15 flag bits ("Z"), kept as received.</summary>
    public ushort Z { get; set; }
    public List<EdnsOption> Options { get; set; } = [];
}

/// <summary>
/// A whole DNS message (RFC 1035 §4.1): header, question, answer, authority and additional sections, with the
/// OPT record lifted into <see cref="Edns"/>. Built and read by tests and tools; the hot answer path never uses it.
/// Parse with <see cref="TryParse"/>, write with <see cref="Encode"/> (name compression).
/// </summary>
public sealed partial class DnsMessage
{
    public ushort Id { get; set; }
    public bool IsResponse { get; set; }
    public Opcode Opcode { get; set; }
    public bool AuthoritativeAnswer { get; set; }
    public bool Truncated { get; set; }
    public bool RecursionDesired { get; set; }
    public bool RecursionAvailable { get; set; }
    /// <summary>The reserved header bit (must be zero on send; kept as received).</summary>
    public bool Z { get; set; }
    public bool AuthenticData { get; set; }
    public bool CheckingDisabled { get; set; }
    /// <summary>The full RCODE: the header's 4 bits plus, with EDNS, the OPT record's upper 8 bits.</summary>
    public Rcode Rcode { get; set; }

    public List<DnsQuestion> Questions { get; set; } = [];
    public List<DnsRecord> Answers { get; set; } = [];
    public List<DnsRecord> Authority { get; set; } = [];
    /// <summary>The additional section without the OPT record (see <see cref="Edns"/>).</summary>
    public List<DnsRecord> Additional { get; set; } = [];
    /// <summary>EDNS fields when the message carries an OPT record, else null.</summary>
    public Edns? Edns { get; set; }

    /// <summary>The 16-bit header flags word (QR, OPCODE, AA, TC, RD, RA, Z, AD, CD, low RCODE bits).</summary>
    public ushort HeaderFlags
    {
        get => (ushort)((IsResponse ? 0x8000 : 0) | (((int)Opcode & 0xF) << 11) | (AuthoritativeAnswer ? 0x0400 : 0)
            | (Truncated ? 0x0200 : 0) | (RecursionDesired ? 0x0100 : 0) | (RecursionAvailable ? 0x0080 : 0)
            | (Z ? 0x0040 : 0) | (AuthenticData ? 0x0020 : 0) | (CheckingDisabled ? 0x0010 : 0) | ((int)Rcode & 0xF));
        set
        {
            IsResponse = (value & 0x8000) != 0;
            Opcode = (Opcode)((value >> 11) & 0xF);
            AuthoritativeAnswer = (value & 0x0400) != 0;
            Truncated = (value & 0x0200) != 0;
            RecursionDesired = (value & 0x0100) != 0;
            RecursionAvailable = (value & 0x0080) != 0;
            Z = (value & 0x0040) != 0;
            AuthenticData = (value & 0x0020) != 0;
            CheckingDisabled = (value & 0x0010) != 0;
            Rcode = (Rcode)(((int)Rcode & ~0xF) | (value & 0xF));
        }
    }

    /// <summary>A query for one question, as a stub would send it (RD off: we are authoritative).</summary>
    public static DnsMessage CreateQuery(DnsName name, RecordType type, ushort id = 0, bool recursionDesired = false,
        ushort? ednsPayload = null, bool dnssecOk = false)
    {
        var m = new DnsMessage { Id = id, RecursionDesired = recursionDesired };
        m.Questions.Add(new DnsQuestion(name, type));
        if (ednsPayload is { } size) m.Edns = new Edns { UdpPayloadSize = size, DnssecOk = dnssecOk };
        return m;
    }

    /// <summary>Parses or throws <see cref="FormatException"/> with the reason.</summary>
    public static DnsMessage Parse(ReadOnlySpan<byte> wire)
        => TryParse(wire, out var m, out var error) ? m! : throw new FormatException(error);

    /// <summary>Dig-like text, for test failure messages and tools.</summary>
    public override string ToString()
    {
        var sb = new System.Text.StringBuilder();
        sb.Append($";; id {Id} opcode {Opcode} rcode {Rcode} flags:");
        if (IsResponse) sb.Append(" qr");
        if (AuthoritativeAnswer) sb.Append(" aa");
        if (Truncated) sb.Append(" tc");
        if (RecursionDesired) sb.Append(" rd");
        if (RecursionAvailable) sb.Append(" ra");
        if (AuthenticData) sb.Append(" ad");
        if (CheckingDisabled) sb.Append(" cd");
        sb.AppendLine();
        if (Edns is { } e) sb.AppendLine($";; EDNS version {e.Version} udp {e.UdpPayloadSize}{(e.DnssecOk ? " do" : "")} options {e.Options.Count}");
        sb.AppendLine(";; QUESTION");
        foreach (var q in Questions) sb.AppendLine(q.ToString());
        Section(sb, "ANSWER", Answers);
        Section(sb, "AUTHORITY", Authority);
        Section(sb, "ADDITIONAL", Additional);
        return sb.ToString();

        static void Section(System.Text.StringBuilder sb, string title, List<DnsRecord> rrs)
        {
            if (rrs.Count == 0) return;
            sb.AppendLine(";; " + title);
            foreach (var rr in rrs) sb.AppendLine(rr.ToString());
        }
    }
}
