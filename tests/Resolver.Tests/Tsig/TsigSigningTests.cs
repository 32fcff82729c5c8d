using System.Buffers.Binary;
using AkkaDns.Resolver.Tsig;
using AkkaDns.Resolver.Wire;
using TsigCodec = AkkaDns.Resolver.Tsig.Tsig; // inside AkkaDns.Resolver.*, "Tsig" names the namespace

// Not "...Tests.Tsig": that namespace would shadow the Tsig class.
namespace AkkaDns.Resolver.Tests.TsigTests;

/// <summary>Sign a request, verify it as the server, sign the response, verify that as the client; then the
/// ways a request fails (RFC 8945 §5.2).</summary>
public sealed class TsigSigningTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 3, 10, 0, 0, TimeSpan.Zero);
    internal static readonly byte[] Secret = Convert.FromBase64String("c2VjcmV0LXNlY3JldC1zZWNyZXQtc2VjcmV0IQ==");

    internal static TsigKey Key(TsigAlgorithm alg, string name = "test.key.") => new(DnsName.Parse(name), alg, Secret);

    internal static byte[] Query(ushort id = 0x4321) => DnsMessage.CreateQuery(DnsName.Parse("example."), RecordType.SOA, id, true, 1232, false).Encode();

    /// <summary>The query signed, in a buffer with room to spare; returns the signed bytes.</summary>
    internal static byte[] Signed(TsigKey key, out byte[] mac, DateTimeOffset? at = null, byte[]? query = null)
    {
        query ??= Query();
        var buf = new byte[1024];
        query.CopyTo(buf, 0);
        int n = TsigCodec.SignRequest(buf, query.Length, key, at ?? Now, out mac);
        Assert.True(n > query.Length);
        return buf[..n];
    }

    /// <summary>A "response": the query bytes with QR set (enough for the MAC, which covers any bytes).</summary>
    private static (byte[] Buf, int Length) Response(ReadOnlySpan<byte> request, int tsigOffset, int extraRoom)
    {
        var buf = new byte[tsigOffset + extraRoom];
        request[..tsigOffset].CopyTo(buf);
        buf[2] |= 0x80;
        BinaryPrimitives.WriteUInt16BigEndian(buf.AsSpan(10), (ushort)(BinaryPrimitives.ReadUInt16BigEndian(buf.AsSpan(10)) - 1));
        return (buf, tsigOffset);
    }

    [Theory, MemberData(nameof(AllAlgorithms))]
    public void Request_and_response_verify_for_every_algorithm(TsigAlgorithm alg)
    {
        var key = Key(alg);
        var keys = new TsigKeyStore([key, Key(TsigAlgorithm.HmacSha256, "other.key.")]);
        var signed = Signed(key, out var requestMac);
        Assert.Equal(TsigAlgorithms.MacLength(alg), requestMac.Length);

        var request = TsigCodec.VerifyRequest(signed, keys, Now.AddSeconds(10));
        Assert.Equal(TsigStatus.Ok, request.Status);
        Assert.Same(key, request.Key);
        Assert.Equal(requestMac, request.Mac);
        Assert.Equal(Query().Length, request.TsigOffset);
        Assert.Equal((ushort)0x4321, request.OriginalId);

        var (buf, len) = Response(signed, request.TsigOffset, TsigCodec.MaxRecordLength(key));
        int n = TsigCodec.SignResponse(buf, len, request, Now.AddSeconds(11));
        Assert.Equal(buf.Length - 6, n); // MaxRecordLength keeps 6 bytes for BADTIME's Other Data
        var verifier = new TsigResponseVerifier(key, requestMac);
        Assert.Equal(TsigStatus.Ok, verifier.Verify(buf.AsSpan(0, n), Now.AddSeconds(12)));
    }

    public static TheoryData<TsigAlgorithm> AllAlgorithms() => new(TsigAlgorithms.All);

    [Theory, MemberData(nameof(AllAlgorithms))]
    public void A_three_message_stream_verifies_message_by_message(TsigAlgorithm alg)
    {
        var key = Key(alg);
        var signed = Signed(key, out var requestMac);
        var request = TsigCodec.VerifyRequest(signed, new TsigKeyStore([key]), Now);
        var signer = new TsigStreamSigner(request);
        var verifier = new TsigResponseVerifier(key, requestMac);
        for (int i = 0; i < 3; i++)
        {
            var (buf, len) = Response(signed, request.TsigOffset, signer.MaxRecordLength);
            buf[3] = (byte)i; // each message different (flags byte)
            int n = signer.SignNext(buf, len, Now.AddSeconds(i));
            Assert.True(n > len);
            Assert.Equal(TsigStatus.Ok, verifier.Verify(buf.AsSpan(0, n), Now.AddSeconds(i)));
        }
    }

    [Fact]
    public void A_stream_message_verified_out_of_order_fails()
    {
        var key = Key(TsigAlgorithm.HmacSha256);
        var signed = Signed(key, out var requestMac);
        var request = TsigCodec.VerifyRequest(signed, new TsigKeyStore([key]), Now);
        var signer = new TsigStreamSigner(request);
        var messages = new List<byte[]>();
        for (int i = 0; i < 3; i++)
        {
            var (buf, len) = Response(signed, request.TsigOffset, signer.MaxRecordLength);
            messages.Add(buf[..signer.SignNext(buf, len, Now)]);
        }
        var verifier = new TsigResponseVerifier(key, requestMac);
        Assert.Equal(TsigStatus.Ok, verifier.Verify(messages[0], Now));
        Assert.Equal(TsigStatus.BadSig, verifier.Verify(messages[2], Now));
    }

    [Fact]
    public void An_unsigned_message_inside_a_stream_is_covered_by_the_next_signed_one()
    {
        var key = Key(TsigAlgorithm.HmacSha1);
        var signed = Signed(key, out var requestMac);
        var request = TsigCodec.VerifyRequest(signed, new TsigKeyStore([key]), Now);
        var (first, l1) = Response(signed, request.TsigOffset, TsigCodec.MaxRecordLength(key));
        var firstSigned = first[..TsigCodec.SignResponse(first, l1, request, Now, out var mac1)];
        var (middle, l2) = Response(signed, request.TsigOffset, 0);
        var (last, l3) = Response(signed, request.TsigOffset, TsigCodec.MaxRecordLength(key));
        // Sign the last over prior MAC + middle + last + timers, as a server skipping one message would.
        var input = new List<byte> { (byte)(mac1.Length >> 8), (byte)mac1.Length };
        input.AddRange(mac1); input.AddRange(middle); input.AddRange(last[..l3]);
        var timers = new byte[8]; TsigWire.WriteTime(timers, TsigWire.UnixTime(Now)); timers[6] = 300 >> 8; timers[7] = 300 & 0xFF;
        input.AddRange(timers);
        var mac3 = TsigAlgorithms.ComputeMac(key.Algorithm, key.Secret, input.ToArray());
        int n3 = TsigWire.Append(last, l3, key.Name.Wire, TsigAlgorithms.WireName(key.Algorithm).Wire, TsigWire.UnixTime(Now), 300, mac3, 0x4321, 0, []);

        var verifier = new TsigResponseVerifier(key, request.Mac);
        Assert.Equal(TsigStatus.Ok, verifier.Verify(firstSigned, Now));
        Assert.Equal(TsigStatus.Unsigned, verifier.Verify(middle, Now));
        Assert.Equal(TsigStatus.Ok, verifier.Verify(last.AsSpan(0, n3), Now));
    }

    [Fact]
    public void Every_tampered_byte_of_the_signed_part_is_BadSig()
    {
        var key = Key(TsigAlgorithm.HmacSha256);
        var keys = new TsigKeyStore([key]);
        var signed = Signed(key, out _);
        int offset = Query().Length;
        for (int i = 0; i < offset; i++)
        {
            // The id is not covered (the MAC uses the Original ID field: forwarders may change the id);
            // ARCOUNT moves or hides the TSIG (FORMERR / unsigned).
            if (i is 0 or 1 or 10 or 11) continue;
            var copy = (byte[])signed.Clone();
            copy[i] ^= 0x01;
            var status = TsigCodec.VerifyRequest(copy, keys, Now).Status;
            Assert.True(status is TsigStatus.BadSig or TsigStatus.FormErr, $"byte {i}: {status}"); // counts, label lengths: FORMERR
        }
        foreach (int i in new[] { 2, 3, 13, offset - 4 }) // flags, a letter of the name, a byte of the OPT TTL
        {
            var copy = (byte[])signed.Clone();
            copy[i] ^= 0x20;
            Assert.Equal(TsigStatus.BadSig, TsigCodec.VerifyRequest(copy, keys, Now).Status);
        }
        var macByte = (byte[])signed.Clone();
        macByte[^10] ^= 0x80; // inside the MAC (the last 6 bytes are original id, error, other length)
        Assert.Equal(TsigStatus.BadSig, TsigCodec.VerifyRequest(macByte, keys, Now).Status);
        var originalId = (byte[])signed.Clone();
        originalId[^6] ^= 0x01;
        Assert.Equal(TsigStatus.BadSig, TsigCodec.VerifyRequest(originalId, keys, Now).Status);
    }

    [Fact]
    public void A_time_outside_the_fudge_is_BadTime_and_its_response_is_signed_with_our_time()
    {
        var key = Key(TsigAlgorithm.HmacSha512);
        var signed = Signed(key, out var mac);
        var late = Now.AddSeconds(301);
        Assert.Equal(TsigStatus.Ok, TsigCodec.VerifyRequest(signed, new TsigKeyStore([key]), Now.AddSeconds(300)).Status);
        var request = TsigCodec.VerifyRequest(signed, new TsigKeyStore([key]), late);
        Assert.Equal(TsigStatus.BadTime, request.Status);
        Assert.Equal(TsigError.BadTime, request.Error);

        var (buf, len) = Response(signed, request.TsigOffset, TsigCodec.MaxRecordLength(key));
        int n = TsigCodec.SignResponse(buf, len, request, late);
        Assert.Equal(buf.Length, n);
        var other = buf.AsSpan(n - 6);
        Assert.Equal(TsigWire.UnixTime(late), (ulong)BinaryPrimitives.ReadUInt16BigEndian(other) << 32 | BinaryPrimitives.ReadUInt32BigEndian(other[2..]));
        Assert.Equal(TsigStatus.BadTime, new TsigResponseVerifier(key, mac).Verify(buf.AsSpan(0, n), late));
    }

    [Fact]
    public void An_unknown_key_or_another_algorithm_is_BadKey_and_its_response_carries_an_empty_mac()
    {
        var signed = Signed(Key(TsigAlgorithm.HmacSha256), out var mac);
        Assert.Equal(TsigStatus.BadKey, TsigCodec.VerifyRequest(signed, new TsigKeyStore(), Now).Status);
        var request = TsigCodec.VerifyRequest(signed, new TsigKeyStore([Key(TsigAlgorithm.HmacSha384)]), Now);
        Assert.Equal(TsigStatus.BadKey, request.Status);
        Assert.Null(request.Key);
        Assert.Equal("test.key.", request.KeyName!.ToString());

        var (buf, len) = Response(signed, request.TsigOffset, request.ResponseRecordLength);
        int n = TsigCodec.SignResponse(buf, len, request, Now);
        Assert.Equal(buf.Length - 6, n);
        Assert.Equal(0, BinaryPrimitives.ReadUInt16BigEndian(buf.AsSpan(n - 8))); // MAC size 0 (then id, error, other len)
        Assert.Equal((ushort)TsigError.BadKey, BinaryPrimitives.ReadUInt16BigEndian(buf.AsSpan(n - 4)));
        Assert.Equal(TsigStatus.BadKey, new TsigResponseVerifier(Key(TsigAlgorithm.HmacSha256), mac).Verify(buf.AsSpan(0, n), Now));
    }

    [Fact]
    public void A_wrong_secret_is_BadSig()
    {
        var signed = Signed(Key(TsigAlgorithm.HmacSha256), out _);
        var other = new TsigKey(DnsName.Parse("TEST.key."), TsigAlgorithm.HmacSha256, [1, 2, 3]);
        Assert.Equal(TsigStatus.BadSig, TsigCodec.VerifyRequest(signed, new TsigKeyStore([other]), Now).Status);
    }

    [Fact]
    public void A_tsig_that_is_not_the_last_additional_record_is_FormErr()
    {
        var signed = Signed(Key(TsigAlgorithm.HmacSha256), out _);
        var bytes = signed.Concat(new byte[] { 0, 0, 1, 0, 1, 0, 0, 0, 0, 0, 4, 192, 0, 2, 1 }).ToArray(); // ". A 192.0.2.1"
        BinaryPrimitives.WriteUInt16BigEndian(bytes.AsSpan(10), (ushort)(BinaryPrimitives.ReadUInt16BigEndian(bytes.AsSpan(10)) + 1));
        Assert.Equal(TsigStatus.FormErr, TsigCodec.VerifyRequest(bytes, new TsigKeyStore([Key(TsigAlgorithm.HmacSha256)]), Now).Status);
    }

    [Fact]
    public void A_tsig_in_the_answer_section_is_FormErr()
    {
        var query = DnsMessage.CreateQuery(DnsName.Parse("example."), RecordType.SOA, 7, false, null, false).Encode();
        var signed = Signed(Key(TsigAlgorithm.HmacSha256), out _, query: query);
        BinaryPrimitives.WriteUInt16BigEndian(signed.AsSpan(6), 1);  // ANCOUNT 1
        BinaryPrimitives.WriteUInt16BigEndian(signed.AsSpan(10), 0); // ARCOUNT 0: the TSIG is now the answer
        Assert.Equal(TsigStatus.FormErr, TsigCodec.VerifyRequest(signed, new TsigKeyStore([Key(TsigAlgorithm.HmacSha256)]), Now).Status);
    }

    [Fact]
    public void An_unsigned_message_is_Unsigned()
        => Assert.Equal(TsigStatus.Unsigned, TsigCodec.VerifyRequest(Query(), new TsigKeyStore(), Now).Status);

    [Theory]
    [InlineData(TsigAlgorithm.HmacSha256, 16, TsigStatus.Ok)]
    [InlineData(TsigAlgorithm.HmacSha256, 15, TsigStatus.FormErr)]
    [InlineData(TsigAlgorithm.HmacMd5, 10, TsigStatus.Ok)]
    [InlineData(TsigAlgorithm.HmacMd5, 9, TsigStatus.FormErr)]
    [InlineData(TsigAlgorithm.HmacSha1, 10, TsigStatus.Ok)]
    [InlineData(TsigAlgorithm.HmacSha512, 32, TsigStatus.Ok)]
    [InlineData(TsigAlgorithm.HmacSha512, 31, TsigStatus.FormErr)]
    public void A_truncated_mac_is_accepted_down_to_half_the_hash_and_ten_bytes(TsigAlgorithm alg, int macLength, TsigStatus expected)
    {
        var key = Key(alg);
        var query = Query();
        ulong time = TsigWire.UnixTime(Now);
        var owner = key.Name.Wire; var algName = TsigAlgorithms.WireName(alg).Wire;
        var input = TsigWire.MacInput([], false, query, 0x4321, false, owner, algName, time, 300, 0, [], timersOnly: false);
        var mac = TsigAlgorithms.ComputeMac(alg, key.Secret, input)[..macLength];
        var buf = new byte[1024];
        query.CopyTo(buf, 0);
        int n = TsigWire.Append(buf, query.Length, owner, algName, time, 300, mac, 0x4321, 0, []);
        var request = TsigCodec.VerifyRequest(buf.AsSpan(0, n), new TsigKeyStore([key]), Now);
        Assert.Equal(expected, request.Status);
    }

    [Fact]
    public void The_key_store_finds_keys_in_any_case_and_replaces_them_all_at_once()
    {
        var store = new TsigKeyStore([Key(TsigAlgorithm.HmacSha1, "a.example."), Key(TsigAlgorithm.HmacSha1, "b.example.")]);
        Assert.Equal(2, store.Count);
        Assert.NotNull(store.Find(DnsName.Parse("A.Example.").Wire));
        store.Replace([Key(TsigAlgorithm.HmacSha1, "c.example.")]);
        Assert.Equal(1, store.Count);
        Assert.Null(store.Find(DnsName.Parse("a.example.").Wire));
        Assert.NotNull(store.Find(DnsName.Parse("c.example.").Wire));
    }

    [Fact]
    public void A_key_never_prints_its_secret()
    {
        var key = Key(TsigAlgorithm.HmacSha256);
        var text = key.ToString();
        Assert.DoesNotContain(Convert.ToBase64String(Secret), text);
        Assert.DoesNotContain("System.Byte[]", text);
        Assert.Contains("test.key.", text);
    }
}
