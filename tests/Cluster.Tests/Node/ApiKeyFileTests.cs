using AkkaDns.Cluster.Node;
using AkkaDns.Cluster.Tests.Node.Support;

namespace AkkaDns.Cluster.Tests.Node;

public sealed class ApiKeyFileTests
{
    [Fact]
    public void First_start_generates_a_key_readable_only_by_the_owner_and_later_starts_reuse_it()
    {
        var dir = TempDir.Create("akkadns-key");
        try
        {
            var first = ApiKeyFile.ReadOrCreate(Path.Combine(dir, "data"), out var created);
            Assert.True(created);
            Assert.True(first.Length >= 32);
            if (!OperatingSystem.IsWindows()) // Windows has no Unix file mode (the key file's ACL is left as it is there)
                Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(ApiKeyFile.PathIn(Path.Combine(dir, "data"))));

            var second = ApiKeyFile.ReadOrCreate(Path.Combine(dir, "data"), out created);
            Assert.False(created);
            Assert.Equal(first, second);
            Assert.Equal(first, ApiKeyFile.TryRead(Path.Combine(dir, "data")));
        }
        finally { TempDir.Delete(dir); }
    }
}
