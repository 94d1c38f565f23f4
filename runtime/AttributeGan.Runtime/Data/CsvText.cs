using System.Collections.Generic;
using System.Text;

namespace AttributeGan.Runtime.Data;

/// <summary>One CSV record and the 1-based line it starts on (a quoted field may span lines).</summary>
internal sealed record CsvRecord(int Line, IReadOnlyList<string> Fields);

/// <summary>
/// A small RFC 4180 reader and writer, written here because the table is tiny and no CSV package is referenced:
/// comma-separated fields, double-quoted fields may hold commas, quotes (written twice) and line breaks; CRLF, LF
/// and CR all end a record; spaces around unquoted fields are trimmed; blank lines are ignored. Every record
/// keeps its starting line so errors can point at it.
/// </summary>
internal static class CsvText
{
    public static List<CsvRecord> Parse(string text, string file)
    {
        var records = new List<CsvRecord>();
        var fields = new List<string>();
        var field = new StringBuilder();
        int line = 1, recordLine = 1, i = 0;
        bool quotedField = false;
        if (text.Length > 0 && text[0] == '\uFEFF') i = 1;   // a UTF-8 byte-order mark that survived decoding

        while (i <= text.Length)
        {
            char c = i < text.Length ? text[i] : '\n';
            if (!quotedField && c == '"' && field.ToString().Trim(' ', '\t').Length == 0)
            {
                field.Clear();
                int quoteLine = line;
                quotedField = true;
                i++;
                while (true)
                {
                    if (i >= text.Length)
                        throw new DataSetException(file, quoteLine, null, "a quoted field is never closed.",
                            "close the quote; a quote inside a quoted field is written twice (\"\").");
                    char q = text[i];
                    if (q == '"')
                    {
                        if (i + 1 < text.Length && text[i + 1] == '"') { field.Append('"'); i += 2; continue; }
                        i++;
                        break;
                    }
                    if (q == '\n' || (q == '\r' && (i + 1 >= text.Length || text[i + 1] != '\n'))) line++;
                    field.Append(q);
                    i++;
                }
                while (i < text.Length && (text[i] == ' ' || text[i] == '\t')) i++;
                if (i < text.Length && text[i] != ',' && text[i] != '\n' && text[i] != '\r')
                    throw new DataSetException(file, line, null, "there is text after the closing quote of a field.",
                        "put the whole field inside the quotes, writing any quote in it twice (\"\").");
                continue;
            }
            if (c == ',')
            {
                fields.Add(Finish(field, quotedField));
                quotedField = false;
                i++;
                continue;
            }
            if (c == '\n' || c == '\r')
            {
                fields.Add(Finish(field, quotedField));
                bool blank = fields.Count == 1 && fields[0].Length == 0 && !quotedField;
                if (!blank) records.Add(new CsvRecord(recordLine, fields.ToArray()));
                fields.Clear();
                quotedField = false;
                if (c == '\r' && i + 1 < text.Length && text[i + 1] == '\n') i++;
                i++;
                line++;
                recordLine = line;
                continue;
            }
            field.Append(c);
            i++;
        }
        return records;
    }

    /// <summary>A field as CSV text: quoted only when it holds a comma, a quote, a line break or edge spaces.</summary>
    public static string Quote(string field)
    {
        bool needs = field.Length > 0 && (field[0] == ' ' || field[^1] == ' ');
        foreach (char c in field) needs |= c is ',' or '"' or '\n' or '\r';
        return needs ? "\"" + field.Replace("\"", "\"\"") + "\"" : field;
    }

    private static string Finish(StringBuilder field, bool quoted)
    {
        string value = quoted ? field.ToString() : field.ToString().Trim(' ', '\t');
        field.Clear();
        return value;
    }
}
