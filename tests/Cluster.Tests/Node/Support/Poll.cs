namespace AkkaDns.Cluster.Tests.Node.Support;

/// <summary>Bounded polling for effects that travel through pub-sub (milliseconds, seconds under load).</summary>
public static class Poll
{
    public static async Task<T> Until<T>(Func<Task<T>> probe, Func<T, bool> done, TimeSpan? limit = null)
    {
        var deadline = DateTime.UtcNow + (limit ?? TimeSpan.FromSeconds(15));
        T value = await probe();
        while (!done(value) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100);
            value = await probe();
        }
        return value;
    }
}
