using System.Net;
using System.Text;
using System.Text.Json;
using AkkaDns.Cluster.Tests.Propagation;
using OpenQA.Selenium;

namespace AkkaDns.Cluster.Tests.OperatorConsole;

[CollectionDefinition("console-cluster", DisableParallelization = true)]
public sealed class ConsoleClusterCollection;

/// <summary>A real cluster for the console: 1 zones node and 2 edges (dc-1, dc-2), PostgreSQL journal.</summary>
public sealed class ConsoleClusterFixture : IDisposable
{
    public LocalCluster Cluster { get; } = LocalCluster.Start(zones: 1, edges: 2, configOverlay: "akkadns.node.ask-timeout = 30s");
    public void Dispose() => Cluster.Dispose();
}

/// <summary>
/// The operator console in a real headless chromium against that cluster, through the zones node's admin API
/// (/ui/ on the same listener): sign-in, datacenters, drain and undrain, a held mass deletion confirmed, a
/// rollback from the history view, a wrong key. Each test saves a PNG of the view it used (docs/console/).
/// </summary>
[Collection("console-cluster")]
public sealed class ConsoleBrowserTests(ConsoleClusterFixture fixture) : IClassFixture<ConsoleClusterFixture>
{
    private const string ZonesPath = "api/v1/servers/localhost/zones";
    private LocalCluster Cluster => fixture.Cluster;

    [Fact]
    public async Task Console_pages_carry_the_strict_content_security_policy_and_need_no_key()
    {
        using var http = new HttpClient { BaseAddress = Cluster.Api };
        foreach (var (path, type) in new[] { ("ui/", "text/html"), ("ui/app.js", "text/javascript"), ("ui/app.css", "text/css") })
        {
            using var response = await http.GetAsync(path);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.StartsWith(type, response.Content.Headers.ContentType!.ToString());
            Assert.Equal(AkkaDns.Cluster.OperatorConsole.ConsoleEndpoints.ContentSecurityPolicy,
                string.Join(",", response.Headers.GetValues("Content-Security-Policy")));
            Assert.False(response.Headers.Contains("Set-Cookie"));
        }
        var html = await http.GetStringAsync("ui/");
        Assert.DoesNotContain("style=", html);
        Assert.DoesNotMatch(@"<script(?![^>]*\bsrc=)", html);
        Assert.DoesNotMatch(@"\son[a-z]+=", html);
        using var missing = await http.GetAsync("ui/nope.js");
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
    }

    [Fact]
    public void A_wrong_key_shows_a_clear_message_and_no_data()
    {
        using var browser = new ConsoleBrowser();
        browser.Driver.Navigate().GoToUrl(new Uri(Cluster.Api, "/ui/"));
        browser.Visible("#api-key");
        browser.Screenshot("sign-in");
        browser.SignIn(Cluster.Api, "not-the-key");
        browser.TextContains("#signin-error", "That API key was refused");
        Assert.False(browser.Driver.FindElement(By.Id("app")).Displayed);
        Assert.Null(browser.Driver.ExecuteScript("return sessionStorage.getItem('akkadns.apiKey')"));
        browser.Screenshot("sign-in-wrong-key");
    }

    [Fact]
    public async Task Signed_in_the_network_view_shows_both_datacenters_serving_the_members_and_traffic()
    {
        for (int i = 0; i < 20; i++) await LocalCluster.QueryA(Cluster.EdgeDns[0], "www.traffic.console.example.");
        using var browser = new ConsoleBrowser();
        browser.SignIn(Cluster.Api, Cluster.ApiKey);
        browser.Visible("#view-network");
        foreach (var dc in new[] { "dc-1", "dc-2" })
            browser.TextContains($"#dc-rows tr[data-dc='{dc}'] .state", "serving");
        browser.Until(d => d.FindElements(By.CssSelector("#member-rows tr")).Count == 3, "three cluster members listed");
        browser.TextContains("#member-rows", "leader");
        foreach (var dc in new[] { "dc-1", "dc-2" })
            browser.Until(d => d.FindElements(By.CssSelector("#traffic-rows th")).Any(th => th.Text == dc), $"{dc}'s traffic listed");
        browser.Until(d => long.TryParse(d.FindElement(By.CssSelector("#traffic-rows tr[data-key='dc-1'] .total")).Text, out var n) && n >= 20,
            "dc-1's 20 queries counted");
        browser.Until(d => d.FindElements(By.CssSelector("#lag-chart polyline")).Count == 2, "one lag line per datacenter");
        Assert.Equal(Cluster.ApiKey, browser.Driver.ExecuteScript("return sessionStorage.getItem('akkadns.apiKey')"));
        Assert.Empty(browser.Driver.Manage().Cookies.AllCookies);
        Assert.DoesNotContain(browser.BrowserErrors(), e => e.Contains("Content Security Policy", StringComparison.OrdinalIgnoreCase));
        browser.Screenshot("network");
    }

    [Fact]
    public async Task Draining_a_datacenter_from_the_console_drains_it_and_undrain_brings_it_back()
    {
        using var browser = new ConsoleBrowser();
        browser.SignIn(Cluster.Api, Cluster.ApiKey);
        const string row = "#dc-rows tr[data-dc='dc-2']";
        browser.TextContains($"{row} .state", "serving");
        try
        {
            browser.Click($"{row} button[aria-label='Drain dc-2']");
            browser.Screenshot("network-drain-confirm");
            browser.ConfirmDialog("Drain dc-2?");
            browser.TextContains($"{row} .state", "drained");
            browser.TextContains($"{row} .why", "operator");
            Assert.Equal("drained", await Cluster.StateOf("dc-2"));
            Assert.Equal("serving", await Cluster.StateOf("dc-1"));
            browser.Screenshot("network-drained");

            browser.Click($"{row} button[aria-label='Undrain dc-2']");
            browser.ConfirmDialog("Undrain dc-2?");
            browser.TextContains($"{row} .state", "serving");
            Assert.Equal("serving", await Cluster.StateOf("dc-2"));
        }
        finally
        {
            if (await Cluster.StateOf("dc-2") == "drained") await Cluster.Http.PostAsync("api/v1/datacenters/dc-2/undrain", null);
        }
    }

    [Fact]
    public async Task A_mass_deletion_held_by_the_guard_is_confirmed_from_the_console()
    {
        const string zone = "held.console.example.";
        await Cluster.CreateZone(zone, ZoneWithHosts(zone, 20));
        using (var held = await Cluster.Http.PatchAsync($"{ZonesPath}/{zone}", DeleteHosts(zone, 8)))
            Assert.Equal(HttpStatusCode.Accepted, held.StatusCode);
        var id = JsonDocument.Parse(await (await Cluster.Http.GetAsync("api/v1/changes")).Content.ReadAsStringAsync())
            .RootElement.EnumerateArray().Single(c => c.GetProperty("zone").GetString() == zone).GetProperty("id").GetString()!;

        using var browser = new ConsoleBrowser();
        browser.SignIn(Cluster.Api, Cluster.ApiKey);
        browser.Click("#nav-changes");
        var row = $"#change-rows tr[data-id='{id}']";
        browser.TextContains($"{row} .preview", $"DELETE h1.{zone} A");
        browser.TextContains($"{row} .preview", $"h1.{zone} 300 A 10.0.0.1"); // the record it removes, as the zone holds it
        browser.TextContains($"{row} .reason", "held");
        browser.Screenshot("held-changes");
        browser.Click($"{row} button[aria-label='Confirm change {id}']");
        browser.TextContains("#confirm-text", $"DELETE h8.{zone} A");
        browser.Screenshot("held-changes-confirm");
        browser.ConfirmDialog($"Confirm held change {id}?");
        browser.TextContains("#status", $"confirmed change {id}");
        browser.Until(d => d.FindElements(By.CssSelector(row)).Count == 0, "the confirmed change left the list");

        var content = (await Cluster.GetZone(zone))!.Value;
        var names = content.GetProperty("rrsets").EnumerateArray().Select(r => r.GetProperty("name").GetString()).ToHashSet();
        for (int i = 1; i <= 8; i++) Assert.DoesNotContain($"h{i}.{zone}", names);
        for (int i = 9; i <= 20; i++) Assert.Contains($"h{i}.{zone}", names);
    }

    [Fact]
    public async Task A_zone_rolled_back_from_its_history_view_has_the_old_content_again()
    {
        const string zone = "rollback.console.example.";
        await Cluster.CreateZone(zone, ZoneWithHosts(zone, 3));
        await Cluster.SetA(zone, $"www.{zone}", "198.51.100.7");
        await Cluster.SetA(zone, $"www.{zone}", "198.51.100.8");

        using var browser = new ConsoleBrowser();
        browser.SignIn(Cluster.Api, Cluster.ApiKey);
        browser.Click("#nav-zones");
        browser.Visible("#zone-search").SendKeys("rollback.console");
        browser.Click($"#zone-list button[data-zone='{zone}']");
        browser.TextContains("#record-rows", "198.51.100.8");
        browser.Until(d => d.FindElements(By.CssSelector("#history-rows tr")).Count == 3, "three versions in the history");

        browser.Click("#history-rows tr[data-version='3'] button[aria-label='Diff version 2 to 3']");
        browser.TextContains("#diff-output", "version 2 → 3");
        browser.TextContains("#diff-output", $"− www.{zone} 300 IN A 198.51.100.7");
        browser.TextContains("#diff-output", $"+ www.{zone} 300 IN A 198.51.100.8");
        browser.Screenshot("zones-history-diff");

        browser.Click("#history-rows tr[data-version='1'] button[aria-label='Roll back to version 1']");
        browser.ConfirmDialog($"Roll {zone} back to version 1?");
        browser.TextContains("#status", $"zone {zone} rolled back to version 1: now version 4");
        browser.TextContains("#record-rows", "192.0.2.1");
        browser.Until(d => d.FindElements(By.CssSelector("#history-rows tr")).Count == 4, "the rollback is a new version");
        browser.Screenshot("zones-rolled-back");

        var www = (await Cluster.GetZone(zone))!.Value.GetProperty("rrsets").EnumerateArray()
            .Single(r => r.GetProperty("name").GetString() == $"www.{zone}" && r.GetProperty("type").GetString() == "A");
        Assert.Equal(["192.0.2.1"], www.GetProperty("records").EnumerateArray().Select(r => r.GetProperty("content").GetString()));
    }

    private static string ZoneWithHosts(string zone, int hosts)
    {
        var text = new StringBuilder(Propagation.Zones.MasterFile(zone)).Append('\n');
        for (int i = 1; i <= hosts; i++) text.Append($"h{i} IN A 10.0.0.{i}\n");
        return text.ToString();
    }

    private static StringContent DeleteHosts(string zone, int count) => new(JsonSerializer.Serialize(new
    {
        rrsets = Enumerable.Range(1, count).Select(i => new { name = $"h{i}.{zone}", type = "A", changetype = "DELETE" }),
    }), Encoding.UTF8, "application/json");
}
