namespace AkkaDns.Resolver.Records;

/// <summary>One word of presentation text. <see cref="Text"/> keeps escapes raw (<c>\DDD</c>, <c>\X</c>) so that
/// names and character-strings decode them by their own rules; a quoted token holds the text between the quotes.</summary>
internal readonly record struct Token(string Text, bool Quoted, int Line)
{
    /// <summary>Text as it appeared (quotes restored), for error messages.</summary>
    public string Display => Quoted ? "\"" + Text + "\"" : Text;
}

/// <summary>One logical line of a master file: physical lines joined by parentheses, comments dropped.</summary>
internal sealed record TokenLine(int Line, bool BlankOwner, List<Token> Tokens);

/// <summary>Bad presentation text found while tokenizing: the line and what is wrong.</summary>
internal sealed class TokenizeException(int line, string problem) : Exception(problem)
{
    public int Line { get; } = line;
}

/// <summary>
/// Splits RFC 1035 §5.1 master-file text into logical lines and tokens: parentheses continue a record over
/// lines, ';' starts a comment, double quotes group a character-string, a backslash escapes the next
/// character everywhere (so <c>\;</c>, <c>\(</c>, <c>\"</c> and <c>\ </c> are data, not syntax).
/// </summary>
internal static class PresentationTokenizer
{
    public static IEnumerable<TokenLine> Lines(string text)
    {
        int i = 0, line = 1, depth = 0, parenLine = 0, n = text.Length;
        bool lineStart = true;
        List<Token> cur = new();
        int curLine = 1; bool blankOwner = false;
        while (i < n)
        {
            char c = text[i];
            if (lineStart && depth == 0)
            {
                if (cur.Count > 0) { yield return new TokenLine(curLine, blankOwner, cur); cur = new(); }
                curLine = line; blankOwner = c is ' ' or '\t';
            }
            lineStart = false;
            switch (c)
            {
                case '\n': line++; lineStart = true; i++; continue;
                case ' ' or '\t' or '\r': i++; continue;
                case ';':
                    while (i < n && text[i] != '\n') i++;
                    continue;
                case '(':
                    if (depth == 0) parenLine = line;
                    depth++; i++; continue;
                case ')':
                    if (depth == 0) throw new TokenizeException(line, "')' without a matching '('");
                    depth--; i++; continue;
                case '"':
                    cur.Add(ReadQuoted(text, ref i, line));
                    continue;
                default:
                    cur.Add(ReadWord(text, ref i, line));
                    continue;
            }
        }
        if (depth > 0) throw new TokenizeException(parenLine, $"'(' opened on line {parenLine} is never closed");
        if (cur.Count > 0) yield return new TokenLine(curLine, blankOwner, cur);
    }

    /// <summary>All tokens of a text that holds one record's fields, newlines counting as spaces.</summary>
    public static List<Token> Tokens(string text)
    {
        var all = new List<Token>();
        foreach (var l in Lines(text)) all.AddRange(l.Tokens);
        return all;
    }

    private static Token ReadQuoted(string text, ref int i, int line)
    {
        int start = ++i;
        var sb = new System.Text.StringBuilder();
        while (i < text.Length && text[i] != '"')
        {
            char c = text[i];
            if (c == '\n') throw new TokenizeException(line, $"unterminated quoted string \"{text[start..i].TrimEnd('\r')}");
            if (c == '\\')
            {
                if (i + 1 >= text.Length || text[i + 1] == '\n') throw new TokenizeException(line, "backslash at the end of a line inside a quoted string");
                sb.Append(c).Append(text[i + 1]); i += 2; continue;
            }
            sb.Append(c); i++;
        }
        if (i >= text.Length) throw new TokenizeException(line, $"unterminated quoted string \"{text[start..]}");
        i++; // closing quote
        return new Token(sb.ToString(), true, line);
    }

    private static Token ReadWord(string text, ref int i, int line)
    {
        var sb = new System.Text.StringBuilder();
        while (i < text.Length)
        {
            char c = text[i];
            if (c is ' ' or '\t' or '\r' or '\n' or ';' or '(' or ')' or '"') break;
            if (c == '\\')
            {
                if (i + 1 >= text.Length || text[i + 1] is '\n' or '\r') throw new TokenizeException(line, $"backslash at the end of '{sb}\\'");
                sb.Append(c).Append(text[i + 1]); i += 2; continue;
            }
            sb.Append(c); i++;
        }
        return new Token(sb.ToString(), false, line);
    }
}
