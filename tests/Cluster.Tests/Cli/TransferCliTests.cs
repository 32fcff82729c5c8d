using AkkaDns.Cluster.Tests.Api;
using AkkaDns.Cluster.Tests.Node.Support;

namespace AkkaDns.Cluster.Tests.Cli;

/// <summary>The real <c>akkadns tsig</c> and <c>akkadns zone transfer</c> verbs against a real node.</summary>
[Collection(SharedNodeCollection.Name)]
public sealed class TransferCliTests(SharedNode shared)
{
    private NodeProcess Node => shared.Node;

    private Task<AkkaDnsCli.Result> Run(params string[] args) =>
        AkkaDnsCli.RunAsync([.. args, "--node", Node.Api.ToString(), "--api-key", Node.ApiKey]);

    [Fact]
    public async Task Tsig_add_list_show_delete()
    {
        var name = $"cli-{Guid.NewGuid():N}"[..12] + ".example.";
        var add = await Run("tsig", "add", name, "--algorithm", "hmac-sha384");
        Assert.True(add.ExitCode == 0, add.ToString());
        Assert.Contains($"added TSIG key {name} (hmac-sha384)", add.Stdout);
        var secret = add.Stdout.Split('\n').Single(l => l.StartsWith("secret: ")).Trim()["secret: ".Length..];
        Assert.Equal(64, Convert.FromBase64String(secret).Length);

        var list = await Run("tsig", "list");
        Assert.True(list.ExitCode == 0, list.ToString());
        Assert.StartsWith("NAME", list.Stdout);
        Assert.Contains(name, list.Stdout);
        Assert.DoesNotContain(secret, list.Stdout);

        var show = await Run("tsig", "show", name.TrimEnd('.'));
        Assert.True(show.ExitCode == 0, show.ToString());
        Assert.Contains(secret, show.Stdout);

        var dup = await Run("tsig", "add", name);
        Assert.Equal(1, dup.ExitCode);
        Assert.Contains("409", dup.Stderr);
        var bad = await Run("tsig", "add", "other." + name, "--algorithm", "hmac-sha3");
        Assert.Equal(1, bad.ExitCode);

        Assert.Equal(0, (await Run("tsig", "delete", name)).ExitCode);
        Assert.Equal(4, (await Run("tsig", "show", name)).ExitCode);
    }

    [Fact]
    public async Task Zone_transfer_allow_notify_show_clear()
    {
        var zone = SharedNode.UniqueZone("clixfr");
        await ApiTestHelpers.AssertOk(await shared.Http.PostAsync(ApiTestHelpers.ZonesPath, ApiTestHelpers.Json(ApiTestHelpers.CreateBody(zone))), System.Net.HttpStatusCode.Created);

        var allow = await Run("zone", "transfer", "allow", zone, "--from", "192.0.2.0/24", "2001:db8::/32", "--key", "xfr-key");
        Assert.True(allow.ExitCode == 0, allow.ToString());
        var notify = await Run("zone", "transfer", "notify", zone, "192.0.2.53", "[2001:db8::53]:5300");
        Assert.True(notify.ExitCode == 0, notify.ToString());

        var show = await Run("zone", "transfer", "show", zone);
        Assert.True(show.ExitCode == 0, show.ToString());
        Assert.Contains("ALLOW-AXFR-FROM  192.0.2.0/24 2001:db8::/32", show.Stdout);
        Assert.Contains("TSIG-ALLOW-AXFR  xfr-key.", show.Stdout);
        Assert.Contains("ALSO-NOTIFY      192.0.2.53 [2001:db8::53]:5300", show.Stdout);

        var bad = await Run("zone", "transfer", "notify", zone, "192.0.2.1:99999");
        Assert.Equal(1, bad.ExitCode);
        Assert.Contains("192.0.2.1:99999", bad.Stderr);
        Assert.Equal(2, (await Run("zone", "transfer", "allow", zone)).ExitCode);
        Assert.Equal(4, (await Run("zone", "transfer", "show", SharedNode.UniqueZone("none"))).ExitCode);

        Assert.Equal(0, (await Run("zone", "transfer", "clear", zone)).ExitCode);
        Assert.Contains("no transfer settings", (await Run("zone", "transfer", "show", zone)).Stdout);
    }
}
