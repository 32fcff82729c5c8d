using OpenQA.Selenium;
using OpenQA.Selenium.Chrome;
using OpenQA.Selenium.Support.UI;

// Not …Tests.Console: that namespace would hide System.Console from every test under AkkaDns.Cluster.Tests.
namespace AkkaDns.Cluster.Tests.OperatorConsole;

/// <summary>
/// A headless Debian chromium driven through /usr/bin/chromedriver, kept off the network: nothing may leave
/// 127.0.0.0/8, so every non-loopback name fails to resolve and every request that would go out meets a dead
/// loopback proxy. Selenium Manager is never asked for a driver or a browser (both paths are given). Missing
/// chromium fails the test with what to install: CI has it, a silent skip would hide a broken console.
/// </summary>
public sealed class ConsoleBrowser : IDisposable
{
    public const string Chromium = "/usr/bin/chromium";
    public const string ChromeDriver = "/usr/bin/chromedriver";

    private readonly string _profile;
    public ChromeDriver Driver { get; }

    public ConsoleBrowser()
    {
        foreach (var file in new[] { Chromium, ChromeDriver })
            if (!File.Exists(file))
                throw new InvalidOperationException($"{file} is missing: the console tests need Debian's chromium and chromium-driver (apt-get install chromium chromium-driver)");
        Environment.SetEnvironmentVariable("SE_AVOID_STATS", "true");
        Environment.SetEnvironmentVariable("SE_OFFLINE", "true");
        _profile = Directory.CreateTempSubdirectory("akkadns-chromium-").FullName;
        var options = new ChromeOptions { BinaryLocation = Chromium };
        options.AddArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
            "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-pings",
            "--disable-domain-reliability", "--disable-client-side-phishing-detection", "--no-first-run",
            "--proxy-server=127.0.0.1:9",
            "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1",
            $"--user-data-dir={_profile}", "--window-size=1280,1000");
        options.SetLoggingPreference(LogType.Browser, LogLevel.All);
        var service = ChromeDriverService.CreateDefaultService(Path.GetDirectoryName(ChromeDriver)!, Path.GetFileName(ChromeDriver));
        service.HideCommandPromptWindow = true;
        service.SuppressInitialDiagnosticInformation = true;
        Driver = new ChromeDriver(service, options, TimeSpan.FromSeconds(60));
        Driver.Manage().Timeouts().PageLoad = TimeSpan.FromSeconds(30);
    }

    /// <summary>Waits (bounded) until <paramref name="condition"/> returns a non-null, non-false value.</summary>
    public T Until<T>(Func<IWebDriver, T> condition, string what, int seconds = 30)
    {
        var wait = new WebDriverWait(Driver, TimeSpan.FromSeconds(seconds)) { PollingInterval = TimeSpan.FromMilliseconds(100), Message = what };
        wait.IgnoreExceptionTypes(typeof(NoSuchElementException), typeof(StaleElementReferenceException));
        return wait.Until(condition);
    }

    public IWebElement Visible(string css, int seconds = 30) =>
        Until(d => d.FindElement(By.CssSelector(css)) is { Displayed: true } e ? e : null, $"'{css}' not visible", seconds)!;

    public void Click(string css) => Until(d => d.FindElement(By.CssSelector(css)) is { Displayed: true, Enabled: true } e ? Clicked(e) : false, $"'{css}' not clickable");

    private static bool Clicked(IWebElement e) { e.Click(); return true; }

    public void TextContains(string css, string text, int seconds = 30) =>
        Until(d => d.FindElement(By.CssSelector(css)).Text.Contains(text, StringComparison.Ordinal), $"'{css}' never showed '{text}'", seconds);

    public void SignIn(Uri api, string key)
    {
        Driver.Navigate().GoToUrl(new Uri(api, "/ui/"));
        var input = Visible("#api-key");
        input.Clear();
        input.SendKeys(key);
        input.SendKeys(Keys.Enter);
    }

    /// <summary>Answers the open confirmation dialog with its OK button.</summary>
    public void ConfirmDialog(string expectedTitle)
    {
        TextContains("#confirm-dialog[open] #confirm-title", expectedTitle);
        Click("#confirm-ok");
        Until(d => d.FindElement(By.Id("confirm-dialog")).GetAttribute("open") is null, "the confirmation dialog did not close");
    }

    /// <summary>A PNG of the page (the views for docs/console/) in $AKKADNS_CONSOLE_SHOTS or TMP/akkadns-console-shots.</summary>
    public string Screenshot(string name)
    {
        var dir = Environment.GetEnvironmentVariable("AKKADNS_CONSOLE_SHOTS") ?? Path.Combine(Path.GetTempPath(), "akkadns-console-shots");
        Directory.CreateDirectory(dir);
        var file = Path.Combine(dir, name + ".png");
        // The whole page, not only the window (CDP's full-size capture).
        var shot = Driver.ExecuteCdpCommand("Page.captureScreenshot", new Dictionary<string, object?> { ["captureBeyondViewport"] = true, ["format"] = "png" });
        if (shot is IDictionary<string, object?> d && d.TryGetValue("data", out var data) && data is string base64)
            File.WriteAllBytes(file, Convert.FromBase64String(base64));
        else
            Driver.GetScreenshot().SaveAsFile(file);
        return file;
    }

    /// <summary>What the page's console logged (CSP violations show here).</summary>
    public IReadOnlyList<string> BrowserErrors() =>
        [.. Driver.Manage().Logs.GetLog(LogType.Browser).Where(l => l.Level >= LogLevel.Warning).Select(l => l.Message)];

    public void Dispose()
    {
        try { Driver.Quit(); } catch (WebDriverException) { }
        Driver.Dispose();
        try { Directory.Delete(_profile, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
