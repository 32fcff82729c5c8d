namespace AkkaDns.Cluster.Tests.Serve;

/// <summary>A small zone written to a temp folder for one test class: answers, a CNAME, a delegation with glue, a big TXT.</summary>
internal sealed class ServeZone : IDisposable
{
    public const string Origin = "example.test.";

    public const string Text = """
        $ORIGIN example.test.
        $TTL 3600
        @       IN SOA ns1 hostmaster 2026112701 7200 3600 1209600 300
        @       IN NS  ns1
        @       IN MX  10 mail
        ns1     IN A   192.0.2.53
        www     IN A   192.0.2.1
        www     IN AAAA 2001:db8::1
        mail    IN A   192.0.2.25
        alias   IN CNAME www
        sub     IN NS  ns.sub
        ns.sub  IN A   192.0.2.99
        """;

    public ServeZone(string? text = null, string fileName = "example.test.zone")
    {
        Directory = System.IO.Directory.CreateTempSubdirectory("akkadns-serve-").FullName;
        Path = System.IO.Path.Combine(Directory, fileName);
        File.WriteAllText(Path, text ?? Text);
    }

    public string Directory { get; }
    public string Path { get; }

    public void Dispose()
    {
        try { System.IO.Directory.Delete(Directory, recursive: true); } catch (IOException) { }
    }
}
