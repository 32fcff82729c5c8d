using System.Security.Cryptography;
using AkkaDns.Resolver.Dnssec;
using AkkaDns.Resolver.Records;
using AkkaDns.Resolver.Wire;

namespace AkkaDns.Resolver.Tests.Dnssec;

public class DnssecKeyTests
{
    private static readonly DnsName Origin = DnsName.Parse("example.com.");

    /// <summary>A PKCS#8 key from a raw ECDSA private scalar (the "PrivateKey:" of a BIND .private file).</summary>
    private static byte[] EcPkcs8(ECCurve curve, byte[] d)
    {
        using var ec = ECDsa.Create(new ECParameters { Curve = curve, D = d });
        return ec.ExportPkcs8PrivateKey();
    }

    // Made by `dnssec-keygen -a ECDSAP256SHA256 -f KSK example.com.` (BIND 9), which named it Kexample.com.+013+27210;
    // the DS is what `dnssec-dsfromkey -2` printed for it.
    private const string BindPrivateKey = "hO5ZFFoBr51mc1GjCZkcqEHu8G2bUPor9tDPyfQ49RY=";
    private const string BindPublicKey = "o8C/kCc/lI84XshGlWdy0o29UKBROxQ8e/NdNUvDaQJgBTBtN20udyvIpY0hnBkIHyEURm4lXF+RD/IzrWQ7lA==";
    private const string BindDs = "27210 13 2 932FF8A03F6547DF235AAEC6EF3F70ABCDB1952E18D1CA6E8D4783F9935C14E8";

    [Fact]
    public void A_key_made_by_dnssec_keygen_has_its_public_key_key_tag_and_ds()
    {
        using var key = DnssecKey.Import(DnssecAlgorithm.EcdsaP256Sha256, 257,
            EcPkcs8(ECCurve.NamedCurves.nistP256, Convert.FromBase64String(BindPrivateKey)));
        Assert.Equal(BindPublicKey, Convert.ToBase64String(key.PublicKey));
        Assert.Equal(27210, key.KeyTag);
        Assert.True(key.IsSecureEntryPoint);
        Assert.Equal(256, key.Bits);
        Assert.Equal(BindDs, RData.Format(RecordType.DS, key.ToDs(Origin, 3600).RData));
        Assert.Equal("257 3 13 " + BindPublicKey, RData.Format(RecordType.DNSKEY, key.ToDnskey(Origin, 3600).RData));
    }

    // RFC 6605 §6.1: the example.net. P-256 key, its DS (SHA-256) and, in §6.2, the P-384 key's DS (SHA-384).
    [Fact]
    public void The_RFC_6605_example_keys_have_the_RFC_key_tags_and_ds()
    {
        var net = DnsName.Parse("example.net.");
        using var p256 = DnssecKey.Import(DnssecAlgorithm.EcdsaP256Sha256, 257,
            EcPkcs8(ECCurve.NamedCurves.nistP256, Convert.FromBase64String("GU6SnQ/Ou+xC5RumuIUIuJZteXT2z0O/ok1s38Et6mQ=")));
        Assert.Equal("GojIhhXUN/u4v54ZQqGSnyhWJwaubCvTmeexv7bR6edbkrSqQpF64cYbcB7wNcP+e+MAnLr+Wi9xMWyQLc8NAA==", Convert.ToBase64String(p256.PublicKey));
        Assert.Equal(55648, p256.KeyTag);
        Assert.Equal("55648 13 2 B4C8C1FE2E7477127B27115656AD6256F424625BF5C1E2770CE6D6E37DF61D17", RData.Format(RecordType.DS, p256.ToDs(net, 3600).RData));

        using var p384 = DnssecKey.Import(DnssecAlgorithm.EcdsaP384Sha384, 257,
            EcPkcs8(ECCurve.NamedCurves.nistP384, Convert.FromBase64String("WURgWHCcYIYUPWgeLmiPY2DJJk02vgrmTfitxgqcL4vwW7BOrbawVmVe0d9V94SR")));
        Assert.Equal(10771, p384.KeyTag);
        Assert.Equal("10771 14 4 72D7B62976CE06438E9C0BF319013CF801F09ECC84B8D7E9495F27E305C6A9B0563A9B5F4D288405C3008A946DF983D6",
            RData.Format(RecordType.DS, p384.ToDs(net, 3600, digestType: 4).RData));
    }

    /// <summary>Live: BIND makes an RSA key; its file name carries the tag, dnssec-dsfromkey the DS. Checks RFC 3110.</summary>
    [Fact]
    public void An_rsa_key_made_by_dnssec_keygen_has_the_tag_and_ds_bind_computes()
    {
        var dir = Directory.CreateTempSubdirectory("akkadns-keygen-").FullName;
        var gen = ExternalTools.Run("dnssec-keygen", "bind9", "-K", dir, "-a", "RSASHA256", "-b", "2048", "-f", "KSK", "example.com.");
        Assert.True(gen.ExitCode == 0, gen.ToString());
        var baseName = Directory.GetFiles(dir, "*.private").Single()[..^".private".Length];
        int tag = int.Parse(baseName[^5..]);
        var fields = File.ReadAllLines(baseName + ".private").Where(l => l.Contains(": "))
            .ToDictionary(l => l[..l.IndexOf(':')], l => l[(l.IndexOf(':') + 2)..]);
        byte[] F(string name) => Convert.FromBase64String(fields[name]);
        using var rsa = RSA.Create();
        rsa.ImportParameters(new RSAParameters
        {
            Modulus = F("Modulus"), Exponent = F("PublicExponent"), D = F("PrivateExponent"), P = F("Prime1"), Q = F("Prime2"),
            DP = F("Exponent1"), DQ = F("Exponent2"), InverseQ = F("Coefficient"),
        });
        using var key = DnssecKey.Import(DnssecAlgorithm.RsaSha256, 257, rsa.ExportPkcs8PrivateKey());
        Assert.Equal(tag, key.KeyTag);
        Assert.Equal(2048, key.Bits);
        var publicLine = File.ReadAllLines(baseName + ".key").Single(l => !l.StartsWith(';'));
        Assert.Equal(string.Concat(publicLine.Split(' ')[6..]), Convert.ToBase64String(key.PublicKey));
        var ds = ExternalTools.Run("dnssec-dsfromkey", "bind9", "-2", baseName + ".key");
        Assert.True(ds.ExitCode == 0, ds.ToString());
        var dsLine = ds.Output.Split('\n').Single(l => l.Contains(" DS "));
        Assert.Equal(dsLine[(dsLine.IndexOf(" DS ") + 4)..].Trim(), RData.Format(RecordType.DS, key.ToDs(Origin, 3600).RData));
    }

    /// <summary>Live: BIND makes an Ed25519 key (RFC 8080); its seed, wrapped as RFC 8410 PKCS#8, gives BIND's tag and DS.</summary>
    [Fact]
    public void An_ed25519_key_made_by_dnssec_keygen_has_the_tag_and_ds_bind_computes()
    {
        var dir = Directory.CreateTempSubdirectory("akkadns-keygen-").FullName;
        var gen = ExternalTools.Run("dnssec-keygen", "bind9", "-K", dir, "-a", "ED25519", "example.com.");
        Assert.True(gen.ExitCode == 0, gen.ToString());
        var baseName = Directory.GetFiles(dir, "*.private").Single()[..^".private".Length];
        var seed = Convert.FromBase64String(File.ReadAllLines(baseName + ".private").Single(l => l.StartsWith("PrivateKey: "))[12..]);
        byte[] pkcs8 = [.. Convert.FromHexString("302e020100300506032b657004220420"), .. seed];
        using var key = DnssecKey.Import(DnssecAlgorithm.Ed25519, 256, pkcs8);
        Assert.Equal(int.Parse(baseName[^5..]), key.KeyTag);
        var publicLine = File.ReadAllLines(baseName + ".key").Single(l => !l.StartsWith(';'));
        Assert.Equal(string.Concat(publicLine.Split(' ')[6..]), Convert.ToBase64String(key.PublicKey));
        var ds = ExternalTools.Run("dnssec-dsfromkey", "bind9", "-2", baseName + ".key");
        var dsLine = ds.Output.Split('\n').Single(l => l.Contains(" DS "));
        Assert.Equal(dsLine[(dsLine.IndexOf(" DS ") + 4)..].Trim(), RData.Format(RecordType.DS, key.ToDs(Origin, 3600).RData));
    }

    [Fact]
    public void The_key_tag_is_the_RFC_4034_appendix_B_sum() =>
        // flags 256, protocol 3, algorithm 13, key 01 02: even octets high (01, 03, 01), odd octets low (00, 0D, 02);
        // then FF FF FF FF adds a carry that is folded back in (0x1FFFE -> 0xFFFF).
        Assert.Equal(new[] { (ushort)0x050F, (ushort)0xFFFF },
            new[] { DnssecKey.ComputeKeyTag([0x01, 0x00, 0x03, 0x0D, 0x01, 0x02]), DnssecKey.ComputeKeyTag([0xFF, 0xFF, 0xFF, 0xFF]) });

    [Theory]
    [InlineData(DnssecAlgorithm.EcdsaP256Sha256, 64, 64)]
    [InlineData(DnssecAlgorithm.EcdsaP384Sha384, 96, 96)]
    [InlineData(DnssecAlgorithm.RsaSha256, 260, 256)]
    [InlineData(DnssecAlgorithm.Ed25519, 32, 64)]
    public void Sign_then_verify_round_trips_and_a_changed_byte_fails(DnssecAlgorithm alg, int publicKeyLength, int signatureLength)
    {
        using var key = DnssecKey.Generate(alg, secureEntryPoint: false);
        Assert.Equal(256, key.Flags);
        Assert.Equal(publicKeyLength, key.PublicKey.Length);
        byte[] data = "the RRset in canonical form"u8.ToArray();
        var sig = key.Sign(data);
        Assert.Equal(signatureLength, sig.Length);
        Assert.True(key.Verify(data, sig));
        data[3] ^= 1;
        Assert.False(key.Verify(data, sig));
    }

    [Theory]
    [InlineData(DnssecAlgorithm.EcdsaP256Sha256)]
    [InlineData(DnssecAlgorithm.EcdsaP384Sha384)]
    [InlineData(DnssecAlgorithm.RsaSha256)]
    [InlineData(DnssecAlgorithm.Ed25519)]
    public void Export_then_import_gives_the_same_key(DnssecAlgorithm alg)
    {
        using var key = DnssecKey.Generate(alg, secureEntryPoint: true);
        using var again = DnssecKey.Import(alg, key.Flags, key.ExportPkcs8());
        Assert.Equal(key.DnskeyRData, again.DnskeyRData);
        Assert.Equal(key.KeyTag, again.KeyTag);
        Assert.True(again.Verify("x"u8, key.Sign("x"u8)));
    }

    [Fact]
    public void ToString_shows_no_private_material()
    {
        using var key = DnssecKey.Generate(DnssecAlgorithm.EcdsaP256Sha256, true);
        var text = key.ToString();
        Assert.Contains(key.KeyTag.ToString(), text);
        Assert.DoesNotContain(Convert.ToBase64String(key.ExportPkcs8()), text);
        Assert.DoesNotContain(Convert.ToBase64String(key.PublicKey), text);
    }

    [Fact]
    public void Import_refuses_a_key_on_the_wrong_curve()
    {
        using var p384 = DnssecKey.Generate(DnssecAlgorithm.EcdsaP384Sha384, true);
        Assert.Throws<ArgumentException>(() => DnssecKey.Import(DnssecAlgorithm.EcdsaP256Sha256, 257, p384.ExportPkcs8()));
    }

    [Fact]
    public void Signing_from_many_threads_at_once_works()
    {
        using var key = DnssecKey.Generate(DnssecAlgorithm.EcdsaP256Sha256, true);
        Parallel.For(0, 200, i =>
        {
            var data = BitConverter.GetBytes(i);
            Assert.True(key.Verify(data, key.Sign(data)));
        });
    }
}
