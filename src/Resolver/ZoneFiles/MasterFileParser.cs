using AkkaDns.Resolver.Records;
using AkkaDns.Resolver.Wire;

namespace AkkaDns.Resolver.ZoneFiles;

/// <summary>The state of one master-file read (shared by the top file and its includes).</summary>
internal sealed class MasterFileParser(DnsName? zoneOrigin, Func<DnsName>? fallbackOrigin)
{
    private readonly List<ResourceRecord> _records = new();
    private readonly List<SourceLocation> _locations = new();
    private DnsName? _zoneOrigin = zoneOrigin;
    private uint? _defaultTtl;   // $TTL
    private uint? _lastTtl;      // TTL of the previous record

    /// <summary>Per-file state: $ORIGIN and the previous owner are restored after an $INCLUDE (RFC 1035 §5.1).</summary>
    private sealed class FileState(string name, string? includeDir)
    {
        public string Name { get; } = name;
        public string? IncludeDir { get; } = includeDir;
        public DnsName? Origin { get; set; }
        public DnsName? PreviousOwner { get; set; }
    }

    public void ReadSource(string text, string name, string? includeDir, int depth, DnsName? origin = null)
    {
        var file = new FileState(name, includeDir) { Origin = origin ?? _zoneOrigin };
        if (text.Length > 0 && text[0] == '\uFEFF') text = text[1..]; // a UTF-8 byte order mark is not an owner name
        try
        {
            foreach (var line in PresentationTokenizer.Lines(text))
            {
                var first = line.Tokens[0];
                if (!line.BlankOwner && !first.Quoted && first.Text.StartsWith('$')) Directive(file, line, depth);
                else Record(file, line);
            }
        }
        catch (TokenizeException e) { throw new MasterFileException(name, e.Line, e.Message); }
    }

    public Zone Finish(string name)
    {
        var origin = _zoneOrigin ?? fallbackOrigin?.Invoke()
            ?? throw new MasterFileException(name, 1, "no origin: pass one or put $ORIGIN before the first record");
        return new Zone(origin, _records.ToArray(), _locations.ToArray());
    }

    private static string Text(TokenLine line) => string.Join(' ', line.Tokens.Select(t => t.Display));

    private void Directive(FileState file, TokenLine line, int depth)
    {
        var t = line.Tokens;
        string directive = t[0].Text.ToUpperInvariant();
        MasterFileException Fail(string problem) => new(file.Name, line.Line, $"{problem} (line: {Text(line)})");
        switch (directive)
        {
            case "$ORIGIN":
            {
                if (t.Count != 2) throw Fail("$ORIGIN takes exactly one domain name");
                if (!DnsName.TryParse(t[1].Text, file.Origin, out var o, out var err)) throw Fail($"$ORIGIN '{t[1].Text}' is not a valid name: {err}");
                file.Origin = o;
                // The first $ORIGIN before any record names the zone when no origin was given.
                if (_zoneOrigin is null && _records.Count == 0) _zoneOrigin = o;
                break;
            }
            case "$TTL":
            {
                if (t.Count != 2) throw Fail("$TTL takes exactly one TTL");
                if (!PresentationText.TryParseTtl(t[1].Text, PresentationText.MaxRecordTtl, out var ttl, out var err))
                    throw Fail($"$TTL '{t[1].Text}' is not a valid TTL: it {err}");
                _defaultTtl = ttl;
                break;
            }
            case "$INCLUDE":
                Include(file, line, depth, Fail);
                break;
            default:
                throw Fail($"directive {t[0].Text} is not supported (only $ORIGIN, $TTL and $INCLUDE)");
        }
    }

    private void Include(FileState file, TokenLine line, int depth, Func<string, MasterFileException> fail)
    {
        var t = line.Tokens;
        if (t.Count is < 2 or > 3) throw fail("$INCLUDE takes a file name and an optional origin");
        if (file.IncludeDir is null) throw fail("$INCLUDE is not allowed here (zone text read without a base folder)");
        if (!PresentationText.TryDecodeString(t[1].Text, out var argBytes, out var argError))
            throw fail($"$INCLUDE file name {t[1].Display} {argError}");
        string arg = System.Text.Encoding.UTF8.GetString(argBytes);
        if (arg.Length == 0 || Path.IsPathRooted(arg) || arg.StartsWith('~'))
            throw fail($"$INCLUDE '{arg}' refused: only paths relative to the including file's folder are allowed");
        string baseDir = Path.TrimEndingDirectorySeparator(file.IncludeDir) + Path.DirectorySeparatorChar;
        string full = Path.GetFullPath(Path.Combine(baseDir, arg));
        if (!full.StartsWith(baseDir, StringComparison.Ordinal))
            throw fail($"$INCLUDE '{arg}' refused: it leaves the folder of the including file");
        if (EscapesThroughLink(baseDir, full))
            throw fail($"$INCLUDE '{arg}' refused: a symbolic link on its path leads outside the folder of the including file");
        if (depth + 1 > MasterFileReader.MaxIncludeDepth)
            throw fail($"$INCLUDE '{arg}' nests deeper than {MasterFileReader.MaxIncludeDepth} files (does a file include itself?)");
        DnsName? origin = file.Origin;
        if (t.Count == 3 && !DnsName.TryParse(t[2].Text, file.Origin, out origin, out var err))
            throw fail($"$INCLUDE origin '{t[2].Text}' is not a valid name: {err}");
        string text;
        try { text = File.ReadAllText(full); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        { throw fail($"$INCLUDE '{arg}' cannot be read: {e.Message}"); }
        ReadSource(text, full, Path.GetDirectoryName(full), depth + 1, origin);
    }

    /// <summary>True when the file, or a folder between <paramref name="baseDir"/> and it, is a symbolic link whose
    /// final target lies outside <paramref name="baseDir"/> (the text-only ".." check cannot see links).</summary>
    private static bool EscapesThroughLink(string baseDir, string full)
    {
        var roots = new List<string> { baseDir };
        if (new DirectoryInfo(baseDir).ResolveLinkTarget(true) is { } realBase)
            roots.Add(Path.TrimEndingDirectorySeparator(realBase.FullName) + Path.DirectorySeparatorChar);
        string path = Path.TrimEndingDirectorySeparator(baseDir);
        foreach (var part in full[baseDir.Length..].Split(Path.DirectorySeparatorChar, StringSplitOptions.RemoveEmptyEntries))
        {
            path = Path.Combine(path, part);
            FileSystemInfo info = Directory.Exists(path) ? new DirectoryInfo(path) : new FileInfo(path);
            if (info.LinkTarget is null) continue;
            var target = info.ResolveLinkTarget(true);
            if (target is null) continue; // dangling: reading it fails with its own message
            string real = Path.GetFullPath(target.FullName);
            if (!roots.Any(r => real.StartsWith(r, StringComparison.Ordinal) || real + Path.DirectorySeparatorChar == r)) return true;
        }
        return false;
    }

    private void Record(FileState file, TokenLine line)
    {
        var t = line.Tokens;
        MasterFileException Fail(string problem) => new(file.Name, line.Line, $"{problem} (record: {Text(line)})");

        if (_zoneOrigin is null && fallbackOrigin is not null) _zoneOrigin = fallbackOrigin();
        if (_zoneOrigin is null) throw Fail("no origin: pass one or put $ORIGIN before the first record");
        file.Origin ??= _zoneOrigin;

        int i = 0;
        DnsName owner;
        if (line.BlankOwner)
            owner = file.PreviousOwner ?? throw Fail("the owner is blank but there is no previous record to take it from");
        else
        {
            if (t[0].Quoted) throw Fail($"owner {t[0].Display} must not be quoted");
            if (!DnsName.TryParse(t[0].Text, file.Origin, out var o, out var err)) throw Fail($"owner '{t[0].Text}' is not a valid name: {err}");
            owner = o!; i = 1;
        }

        uint? ttl = null; bool classSeen = false;
        while (i < t.Count && !t[i].Quoted)
        {
            string w = t[i].Text;
            if (w.Length > 0 && char.IsAsciiDigit(w[0]))
            {
                if (ttl is not null) throw Fail($"second TTL '{w}'");
                if (!PresentationText.TryParseTtl(w, PresentationText.MaxRecordTtl, out var v, out var err))
                    throw Fail($"TTL '{w}' is not valid: it {err}");
                ttl = v;
            }
            else if (IsClass(w))
            {
                if (classSeen) throw Fail($"second class '{w}'");
                if (!w.Equals("IN", StringComparison.OrdinalIgnoreCase) && !w.Equals("CLASS1", StringComparison.OrdinalIgnoreCase))
                    throw Fail($"class {w} is not supported (only IN)");
                classSeen = true;
            }
            else break;
            i++;
        }
        if (i >= t.Count) throw Fail("the record has no type");
        if (t[i].Quoted || !RecordTypes.TryParse(t[i].Text, out var type)) throw Fail($"unknown record type '{t[i].Text}'");

        byte[] rdata;
        try { rdata = RData.Parse(type, t, i + 1, file.Origin); }
        catch (RDataFormatException e) { throw Fail(e.Message); }

        uint recordTtl = ttl ?? _defaultTtl ?? _lastTtl ?? throw Fail("no TTL and no $TTL (give the record a TTL or put $TTL before it)");
        _lastTtl = recordTtl;
        file.PreviousOwner = owner;
        _records.Add(new ResourceRecord(owner, type, recordTtl, rdata));
        _locations.Add(new SourceLocation(file.Name, line.Line));
    }

    private static bool IsClass(string w) =>
        w.Equals("IN", StringComparison.OrdinalIgnoreCase) || w.Equals("CH", StringComparison.OrdinalIgnoreCase)
        || w.Equals("CS", StringComparison.OrdinalIgnoreCase) || w.Equals("HS", StringComparison.OrdinalIgnoreCase)
        || w.Equals("NONE", StringComparison.OrdinalIgnoreCase) || w.Equals("ANY", StringComparison.OrdinalIgnoreCase)
        || (w.Length > 5 && w.StartsWith("CLASS", StringComparison.OrdinalIgnoreCase) && w.Skip(5).All(char.IsAsciiDigit));
}
