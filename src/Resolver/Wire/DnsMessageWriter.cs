using System.Buffers.Binary;
using System.Text;

namespace AkkaDns.Resolver.Wire;

public sealed partial class DnsMessage
{
    /// <summary>
    /// Writes the message in wire form with name compression: owner and question names always, names inside
    /// RDATA only for the RFC 1035 types (RFC 3597 §4). The OPT record, when <see cref="Edns"/> is set, goes last.
    /// Throws <see cref="InvalidOperationException"/> when the message cannot be written (over 65535 bytes,
    /// an extended RCODE without EDNS, a section over 65535 entries).
    /// </summary>
    public byte[] Encode()
    {
        if ((ushort)Rcode > 0xF && Edns is null) throw new InvalidOperationException($"RCODE {Rcode} needs EDNS");
        int ar = Additional.Count + (Edns is null ? 0 : 1);
        foreach (var n in new[] { Questions.Count, Answers.Count, Authority.Count, ar })
            if (n > ushort.MaxValue) throw new InvalidOperationException("a section has more than 65535 entries");

        var w = new MessageWriter();
        w.U16(Id); w.U16(HeaderFlags);
        w.U16((ushort)Questions.Count); w.U16((ushort)Answers.Count); w.U16((ushort)Authority.Count); w.U16((ushort)ar);
        foreach (var q in Questions) { w.Name(q.Name.Wire, compress: true); w.U16((ushort)q.Type); w.U16((ushort)q.Class); }
        foreach (var rr in Answers) w.Record(rr);
        foreach (var rr in Authority) w.Record(rr);
        foreach (var rr in Additional) w.Record(rr);
        if (Edns is { } e)
        {
            w.Name(DnsName.Root.Wire, compress: false);
            w.U16((ushort)RecordType.OPT);
            w.U16(e.UdpPayloadSize);
            w.U32(((uint)Rcode >> 4) << 24 | (uint)e.Version << 16 | (e.DnssecOk ? 0x8000u : 0) | (e.Z & 0x7FFFu));
            int lenAt = w.Length; w.U16(0);
            foreach (var o in e.Options)
            {
                if (o.Data.Length > ushort.MaxValue) throw new InvalidOperationException($"EDNS option {o.Code} too long");
                w.U16(o.Code); w.U16((ushort)o.Data.Length); w.Bytes(o.Data);
            }
            w.PatchLength(lenAt);
        }
        return w.ToArray();
    }

    /// <summary>A growable output buffer with a compression table of name suffixes already written.</summary>
    private sealed class MessageWriter
    {
        private byte[] _buf = new byte[512];
        private readonly Dictionary<string, int> _suffixes = new(StringComparer.Ordinal);

        public int Length { get; private set; }

        private Span<byte> Take(int n)
        {
            if (Length + n > ushort.MaxValue) throw new InvalidOperationException("message longer than 65535 bytes");
            if (Length + n > _buf.Length) Array.Resize(ref _buf, Math.Max(_buf.Length * 2, Length + n));
            var s = _buf.AsSpan(Length, n);
            Length += n;
            return s;
        }

        public void U16(ushort v) => BinaryPrimitives.WriteUInt16BigEndian(Take(2), v);
        public void U32(uint v) => BinaryPrimitives.WriteUInt32BigEndian(Take(4), v);
        public void Bytes(ReadOnlySpan<byte> b) => b.CopyTo(Take(b.Length));

        public void PatchLength(int at)
        {
            int len = Length - at - 2;
            if (len > ushort.MaxValue) throw new InvalidOperationException("RDATA longer than 65535 bytes");
            BinaryPrimitives.WriteUInt16BigEndian(_buf.AsSpan(at), (ushort)len);
        }

        /// <summary>
        /// Writes an uncompressed wire name; with <paramref name="compress"/> the longest suffix already written
        /// becomes a pointer. Either way its new suffixes become pointer targets for later names.
        /// </summary>
        public void Name(ReadOnlySpan<byte> wire, bool compress)
        {
            int pos = 0;
            while (wire[pos] != 0)
            {
                string key = Key(wire[pos..]);
                if (compress && _suffixes.TryGetValue(key, out int target))
                {
                    U16((ushort)(0xC000 | target));
                    return;
                }
                if (Length < 0x3FFF) _suffixes.TryAdd(key, Length);
                int len = wire[pos];
                Bytes(wire.Slice(pos, 1 + len));
                pos += 1 + len;
            }
            Take(1)[0] = 0;
        }

        /// <summary>
        /// Suffixes match byte for byte, case included: a case-insensitive match would rewrite the case of a later
        /// name (an RDATA target would take the question's 0x20 mix), and this codec must give back exactly what it was given.
        /// </summary>
        private static string Key(ReadOnlySpan<byte> suffix) => System.Text.Encoding.Latin1.GetString(suffix);

        public void Record(DnsRecord rr)
        {
            Name(rr.Owner.Wire, compress: true);
            U16((ushort)rr.Type); U16((ushort)rr.Class); U32(rr.Ttl);
            int lenAt = Length; U16(0);
            // Check the layout first: a half-written RDATA would leave compression targets pointing at nothing.
            if (FitsLayout(rr.Type, rr.RData)) WriteRDataWithNames(rr.Type, rr.RData);
            else Bytes(rr.RData);
            PatchLength(lenAt);
        }

        /// <summary>True when uncompressed <paramref name="rdata"/> exactly matches the type's name layout.</summary>
        private static bool FitsLayout(RecordType type, ReadOnlySpan<byte> rdata)
        {
            var layout = DnsMessageRDataLayout.For(type);
            if (layout.IsEmpty) return false;
            int pos = 0;
            foreach (var field in layout)
            {
                int size = field switch
                {
                    DnsMessageRDataLayout.CompressibleName or DnsMessageRDataLayout.Name =>
                        DnsName.TryFromWire(rdata[pos..], out _, out int used) ? used : -1,
                    DnsMessageRDataLayout.CharString => pos < rdata.Length ? 1 + rdata[pos] : -1,
                    _ => field,
                };
                if (size < 0 || pos + size > rdata.Length) return false;
                pos += size;
            }
            return pos == rdata.Length;
        }

        private void WriteRDataWithNames(RecordType type, ReadOnlySpan<byte> rdata)
        {
            int pos = 0;
            foreach (var field in DnsMessageRDataLayout.For(type))
            {
                int size = field switch
                {
                    DnsMessageRDataLayout.CompressibleName or DnsMessageRDataLayout.Name => NameLength(rdata[pos..]),
                    DnsMessageRDataLayout.CharString => 1 + rdata[pos],
                    _ => field,
                };
                if (field is DnsMessageRDataLayout.CompressibleName or DnsMessageRDataLayout.Name)
                    Name(rdata.Slice(pos, size), compress: field == DnsMessageRDataLayout.CompressibleName);
                else Bytes(rdata.Slice(pos, size));
                pos += size;
            }
        }

        private static int NameLength(ReadOnlySpan<byte> wire)
        {
            int pos = 0;
            while (wire[pos] != 0) pos += 1 + wire[pos];
            return pos + 1;
        }

        public byte[] ToArray() => _buf.AsSpan(0, Length).ToArray();
    }
}
