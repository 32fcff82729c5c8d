using System.Security.Cryptography;
using AkkaDns.Actors.Serialization;
using AkkaDns.Actors.Zones;
using AkkaDns.Resolver.Records;

namespace AkkaDns.Actors.Datacenters;

/// <summary>One zone as an edge last served it, in its history <see cref="Lineage"/>.</summary>
/// <remarks>The edge queues its copies with <see cref="CompiledRecords"/>: the writer thread walks the compiled zone, so no
/// list of the zone's records is made to write it.</remarks>
internal sealed record EdgeSnapshot(ZoneId ZoneId, long Version, uint Serial, IReadOnlyCollection<ResourceRecord> Records)
{
    public string Lineage { get; init; } = ZoneLineage.Legacy;

    /// <summary>As a zone state a datacenter can hold and apply later deltas (of the same lineage) on top of.</summary>
    public ZoneState ToState() => ZoneState.Empty(ZoneId) with
    {
        Exists = true,
        Version = Version,
        LastSerial = Serial,
        Records = ZoneState.Order(Records, ZoneId.Name),
        Lineage = Lineage,
    };
}

/// <summary>
/// Fail static, edge side: the last good content of every zone an edge serves, one file per zone in the edge's own
/// folder, so an edge that restarts while the journal (or every zones node) is unreachable still answers. Each file
/// is written to a temporary name and renamed over the old one (atomic on POSIX), and carries a SHA-256 of its body:
/// a torn or damaged file is skipped with a reason, never served.
/// <para>Two formats: <c>AKDSNAP1</c> (no lineage: read as <see cref="ZoneLineage.Legacy"/>, and still written for a zone of
/// that lineage, so an older binary reads it too) and <c>AKDSNAP2</c> (the same body, then the lineage).</para>
/// </summary>
internal sealed class EdgeSnapshotStore
{
    private static readonly byte[] Magic = "AKDSNAP1"u8.ToArray();
    private static readonly byte[] MagicWithLineage = "AKDSNAP2"u8.ToArray();
    private const string Extension = ".zsnap";

    public EdgeSnapshotStore(string directory)
    {
        Directory = directory;
        System.IO.Directory.CreateDirectory(directory);
    }

    public string Directory { get; }

    public void Save(EdgeSnapshot snapshot)
    {
        byte[] body;
        using (var ms = new MemoryStream())
        {
            using (var w = new BinaryWriter(ms, System.Text.Encoding.UTF8, leaveOpen: true))
            {
                w.WriteZoneId(snapshot.ZoneId); w.Write(snapshot.Version); w.Write(snapshot.Serial); w.WriteRecords(snapshot.Records);
                if (snapshot.Lineage != ZoneLineage.Legacy) w.Write(snapshot.Lineage);
            }
            body = ms.ToArray();
        }
        var path = PathFor(snapshot.ZoneId);
        var temp = path + ".tmp";
        using (var f = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None))
        {
            f.Write(snapshot.Lineage == ZoneLineage.Legacy ? Magic : MagicWithLineage);
            f.Write(SHA256.HashData(body));
            f.Write(body);
            // No fsync: one per delta would cost a mass restore dearly. After a power cut the file may be old or
            // empty (rename before data), never half-new: the checksum rejects an empty or torn file.
        }
        File.Move(temp, path, overwrite: true);
    }

    public void Remove(ZoneId id)
    {
        try { File.Delete(PathFor(id)); } catch (IOException) { }
    }

    /// <summary>Every readable snapshot; <paramref name="problems"/> names each file skipped and why.</summary>
    public IReadOnlyList<EdgeSnapshot> LoadAll(out IReadOnlyList<string> problems)
    {
        var found = new List<EdgeSnapshot>();
        var bad = new List<string>();
        foreach (var path in System.IO.Directory.EnumerateFiles(Directory, "*" + Extension).Order(StringComparer.Ordinal))
        {
            try { found.Add(Read(path)); }
            catch (Exception e) when (e is IOException or InvalidDataException or EndOfStreamException or FormatException or ArgumentException)
            {
                bad.Add($"{path}: {e.Message}");
            }
        }
        problems = bad;
        return found;
    }

    private static EdgeSnapshot Read(string path)
    {
        var bytes = File.ReadAllBytes(path);
        const int head = 8 + 32;
        if (bytes.Length < head) throw new InvalidDataException("not an edge snapshot file");
        var withLineage = bytes.AsSpan(0, 8).SequenceEqual(MagicWithLineage);
        if (!withLineage && !bytes.AsSpan(0, 8).SequenceEqual(Magic)) throw new InvalidDataException("not an edge snapshot file");
        var body = bytes.AsSpan(head);
        if (!SHA256.HashData(body).AsSpan().SequenceEqual(bytes.AsSpan(8, 32))) throw new InvalidDataException("checksum mismatch (damaged file)");
        using var r = new BinaryReader(new MemoryStream(bytes, head, bytes.Length - head, writable: false));
        var snapshot = new EdgeSnapshot(r.ReadZoneId(), r.ReadInt64(), r.ReadUInt32(), r.ReadRecords());
        if (withLineage) snapshot = snapshot with { Lineage = r.ReadString() };
        if (r.BaseStream.Position != r.BaseStream.Length) throw new InvalidDataException("trailing bytes");
        return snapshot;
    }

    /// <summary>"example.com.zsnap"; the root zone is "root.zsnap". A zone name holds no '/' in presentation form
    /// (it would be escaped), but any path character is replaced all the same.</summary>
    private string PathFor(ZoneId id)
    {
        var name = id.Value.TrimEnd('.');
        if (name.Length == 0) name = "root";
        foreach (var c in Path.GetInvalidFileNameChars()) name = name.Replace(c, '_');
        return Path.Combine(Directory, name + Extension);
    }
}
