using AkkaDns.Actors.Zones;

namespace AkkaDns.Actors.Datacenters;

/// <summary>
/// Writes an edge's local copies (<see cref="EdgeSnapshotStore"/>) on its own thread, so that the DatacenterActor never
/// waits on the disk. What is queued for a zone replaces what was queued before (the latest state, or its removal),
/// and each pass waits <c>delay</c> first, so a zone changing many times a second is written about once a second.
/// <para>Why: each copy is written to a temporary file and renamed over the old one, and on ext4 a rename that
/// replaces a file waits for the new file's data to reach the disk. In the 10,000-zone restore benchmark those
/// renames were three quarters of the edge actor's time, and the edges fell 15 s behind the zones.</para>
/// Fail static still holds: the copy trails what is served by about <c>delay</c> plus the write time, and an edge that
/// restarts catches up from the zones.
/// </summary>
internal sealed class EdgeSnapshotWriter : IDisposable
{
    private readonly EdgeSnapshotStore _store;
    private readonly TimeSpan _delay;
    private readonly Action<ZoneId, Exception> _failed;
    private readonly Lock _lock = new();
    /// <summary>The latest state to write per zone; null: remove the zone's copy.</summary>
    private Dictionary<ZoneId, EdgeSnapshot?> _queued = new();
    private readonly SemaphoreSlim _signal = new(0);
    private readonly Thread _thread;
    private volatile bool _stopping;
    private int _inFlight; // queued or being written, for Flush

    public EdgeSnapshotWriter(EdgeSnapshotStore store, TimeSpan delay, Action<ZoneId, Exception> failed)
    {
        _store = store;
        _delay = delay;
        _failed = failed;
        _thread = new Thread(Run) { IsBackground = true, Name = "edge-snapshot-writer" };
        _thread.Start();
    }

    public EdgeSnapshotStore Store => _store;

    public void Save(EdgeSnapshot snapshot) => Queue(snapshot.ZoneId, snapshot);

    public void Remove(ZoneId id) => Queue(id, null);

    private void Queue(ZoneId id, EdgeSnapshot? snapshot)
    {
        bool first;
        lock (_lock)
        {
            first = _queued.Count == 0;
            if (_queued.TryAdd(id, snapshot)) Interlocked.Increment(ref _inFlight);
            else _queued[id] = snapshot;
        }
        if (first) _signal.Release();
    }

    /// <summary>Waits until everything queued so far is on disk (or <paramref name="timeout"/> passed); false on timeout.</summary>
    public bool Flush(TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        _signal.Release(); // skip the coalescing delay
        while (Volatile.Read(ref _inFlight) > 0)
        {
            if (DateTime.UtcNow >= deadline) return false;
            Thread.Sleep(10);
        }
        return true;
    }

    private void Run()
    {
        while (!_stopping)
        {
            _signal.Wait();
            if (!_stopping) Thread.Sleep(_delay);
            Dictionary<ZoneId, EdgeSnapshot?> batch;
            lock (_lock)
            {
                batch = _queued;
                _queued = new();
            }
            foreach (var (id, snapshot) in batch)
            {
                try
                {
                    if (snapshot is null) _store.Remove(id);
                    else _store.Save(snapshot);
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    _failed(id, e);
                }
                finally { Interlocked.Decrement(ref _inFlight); }
            }
        }
    }

    /// <summary>Writes what is queued, then stops the thread.</summary>
    public void Dispose()
    {
        Flush(TimeSpan.FromSeconds(30));
        _stopping = true;
        _signal.Release();
        _thread.Join(TimeSpan.FromSeconds(5));
    }
}
