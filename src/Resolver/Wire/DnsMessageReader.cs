namespace AkkaDns.Resolver.Wire;

public sealed partial class DnsMessage
{
    private const int HeaderSize = 12;
    private const int MinQuestionSize = 5;   // root name + type + class
    private const int MinRecordSize = 11;    // root name + type + class + ttl + rdlength

    /// <summary>
    /// Parses a whole message. Never throws for any input: on failure <paramref name="error"/> says what is wrong
    /// and at which offset. Counts are checked against the bytes left before anything is allocated, names are
    /// decompressed safely (<see cref="WireReader.TryReadName"/>), names inside known RDATA types are expanded,
    /// the OPT record must be single, owned by the root and in the additional section, and no byte may trail.
    /// </summary>
    public static bool TryParse(ReadOnlySpan<byte> wire, out DnsMessage? message, out string? error)
    {
        message = null;
        if (wire.Length < HeaderSize) { error = $"message of {wire.Length} byte(s) is shorter than the 12-byte header"; return false; }
        var r = new WireReader(wire);
        var m = new DnsMessage { Id = r.ReadUInt16() };
        m.HeaderFlags = r.ReadUInt16();
        int qd = r.ReadUInt16(), an = r.ReadUInt16(), ns = r.ReadUInt16(), ar = r.ReadUInt16();

        // Fail fast on counts that cannot fit the bytes left (a 12-byte packet claiming 65535 records).
        long need = (long)qd * MinQuestionSize + (long)(an + ns + ar) * MinRecordSize;
        if (need > r.Remaining)
        {
            error = $"counts (qd {qd}, an {an}, ns {ns}, ar {ar}) need at least {need} bytes, only {r.Remaining} follow the header";
            return false;
        }

        Span<byte> nameBuf = stackalloc byte[DnsName.MaxWireLength];
        m.Questions = new List<DnsQuestion>(qd);
        for (int i = 0; i < qd; i++)
        {
            if (!TryReadName(ref r, nameBuf, $"question {i + 1} name", out var qname)) break;
            var type = (RecordType)r.ReadUInt16("question type");
            var cls = (RecordClass)r.ReadUInt16("question class");
            if (r.Failed) break;
            m.Questions.Add(new DnsQuestion(qname!, type, cls));
        }
        if (!r.Failed) m.Answers = ReadSection(ref r, an, "answer", m, nameBuf);
        if (!r.Failed) m.Authority = ReadSection(ref r, ns, "authority", m, nameBuf);
        if (!r.Failed) m.Additional = ReadSection(ref r, ar, "additional", m, nameBuf);
        if (!r.Failed && r.Remaining > 0) r.Fail($"{r.Remaining} byte(s) trail the message at offset {r.Position}");
        if (r.Failed) { error = r.Error; return false; }
        error = null;
        message = m;
        return true;
    }

    private static bool TryReadName(ref WireReader r, scoped Span<byte> buf, string what, out DnsName? name)
    {
        name = null;
        if (!r.TryReadName(buf, out var len, what)) return false;
        if (!DnsName.TryFromWire(buf[..len], out name, out _)) { r.Fail($"{what}: invalid name"); return false; }
        return true;
    }

    private static List<DnsRecord> ReadSection(ref WireReader r, int count, string section, DnsMessage m, scoped Span<byte> nameBuf)
    {
        var list = new List<DnsRecord>(count);
        for (int i = 0; i < count && !r.Failed; i++)
        {
            string where = $"{section} record {i + 1}";
            if (!TryReadName(ref r, nameBuf, where + " owner", out var owner)) break;
            var type = (RecordType)r.ReadUInt16(where + " type");
            ushort cls = r.ReadUInt16(where + " class");
            uint ttl = r.ReadUInt32(where + " TTL");
            int rdlen = r.ReadUInt16(where + " RDLENGTH");
            int rdStart = r.Position;
            r.Skip(rdlen, $"{where} RDATA of {rdlen} byte(s)");
            if (r.Failed) break;

            if (type == RecordType.OPT)
            {
                if (section != "additional") { r.Fail($"{where}: OPT record outside the additional section"); break; }
                if (m.Edns is not null) { r.Fail($"{where}: second OPT record"); break; }
                if (!owner!.IsRoot) { r.Fail($"{where}: OPT record owned by {owner}, not the root"); break; }
                var edns = ReadOpt(r.Message.Slice(rdStart, rdlen), ttl, cls, where, out var optError);
                if (edns is null) { r.Fail(optError!); break; }
                m.Edns = edns;
                // The OPT TTL's top byte extends the header RCODE (RFC 6891 §6.1.3).
                m.Rcode = (Rcode)(((ttl >> 24) << 4) | ((uint)m.Rcode & 0xF));
                continue;
            }
            var rdata = ReadRData(r.Message, rdStart, rdlen, type, where, out var rdError);
            if (rdata is null) { r.Fail(rdError!); break; }
            list.Add(new DnsRecord(owner!, type, (RecordClass)cls, ttl, rdata));
        }
        return list;
    }

    private static Edns? ReadOpt(ReadOnlySpan<byte> rdata, uint ttl, ushort cls, string where, out string? error)
    {
        var e = new Edns
        {
            UdpPayloadSize = cls,
            Version = (byte)(ttl >> 16),
            DnssecOk = (ttl & 0x8000) != 0,
            Z = (ushort)(ttl & 0x7FFF),
        };
        int pos = 0;
        while (pos < rdata.Length)
        {
            if (rdata.Length - pos < 4) { error = $"{where}: OPT option header truncated at RDATA offset {pos}"; return null; }
            ushort code = (ushort)(rdata[pos] << 8 | rdata[pos + 1]);
            int len = rdata[pos + 2] << 8 | rdata[pos + 3];
            if (rdata.Length - pos - 4 < len)
            { error = $"{where}: OPT option {code} claims {len} byte(s), only {rdata.Length - pos - 4} left in RDATA"; return null; }
            e.Options.Add(new EdnsOption(code, rdata.Slice(pos + 4, len).ToArray()));
            pos += 4 + len;
        }
        error = null;
        return e;
    }

    /// <summary>RDATA in uncompressed form: names of known types expanded, every other type copied as is.</summary>
    private static byte[]? ReadRData(ReadOnlySpan<byte> message, int start, int length, RecordType type, string where, out string? error)
    {
        error = null;
        var layout = DnsMessageRDataLayout.For(type);
        // Empty RDATA stays empty: DNS UPDATE (RFC 2136 §2.4.1, §2.5.2) sends RRs of class ANY/NONE without data.
        if (layout.IsEmpty || length == 0) return message.Slice(start, length).ToArray();

        // A reader that ends where the RDATA ends: names may point back anywhere, but their own bytes stay inside.
        var r = new WireReader(message[..(start + length)], start);
        var output = new byte[length + DnsName.MaxWireLength * layout.Length];
        int outLen = 0;
        foreach (var field in layout)
        {
            switch (field)
            {
                case DnsMessageRDataLayout.CompressibleName or DnsMessageRDataLayout.Name:
                    if (!r.TryReadName(output.AsSpan(outLen), out var n, $"{where} {RecordTypes.ToText(type)} RDATA name")) break;
                    outLen += n;
                    break;
                case DnsMessageRDataLayout.CharString:
                    int sl = r.ReadByte($"{where} {RecordTypes.ToText(type)} RDATA string length");
                    var s = r.ReadBytes(sl, $"{where} {RecordTypes.ToText(type)} RDATA string");
                    if (r.Failed) break;
                    output[outLen++] = (byte)sl;
                    s.CopyTo(output.AsSpan(outLen));
                    outLen += sl;
                    break;
                default:
                    var fixedBytes = r.ReadBytes(field, $"{where} {RecordTypes.ToText(type)} RDATA");
                    if (r.Failed) break;
                    fixedBytes.CopyTo(output.AsSpan(outLen));
                    outLen += field;
                    break;
            }
            if (r.Failed) { error = r.Error; return null; }
        }
        if (r.Remaining > 0)
        {
            error = $"{where}: {r.Remaining} unexpected byte(s) at the end of {RecordTypes.ToText(type)} RDATA";
            return null;
        }
        return output.AsSpan(0, outLen).ToArray();
    }
}
