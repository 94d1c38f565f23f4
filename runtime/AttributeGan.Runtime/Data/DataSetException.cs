using System;

namespace AttributeGan.Runtime.Data;

/// <summary>
/// A problem with a data set on disk: a malformed attribute table or an image that cannot be used. The message
/// always names the file (and, for the table, the 1-based line and the column) and says how to fix it, because
/// the person reading it is looking at a folder of thousands of files.
/// </summary>
public sealed class DataSetException : UserInputException
{
    public DataSetException(string file, int? line, string? column, string problem, string fix, Exception? inner = null)
        : base(Compose(file, line, column, problem, fix), inner)
    {
        File = file;
        Line = line;
        Column = column;
        Problem = problem;
        Fix = fix;
    }

    /// <summary>The file at fault (the table or the image).</summary>
    public string File { get; }

    /// <summary>1-based line in the table, when the problem is in a table row or its header.</summary>
    public int? Line { get; }

    /// <summary>The table column at fault, when there is one.</summary>
    public string? Column { get; }

    public string Problem { get; }

    public string Fix { get; }

    private static string Compose(string file, int? line, string? column, string problem, string fix)
    {
        string where = line is int l ? $"{file}, line {l}" : file;
        if (column is not null) where += $", column '{column}'";
        return $"{where}: {problem} Fix: {fix}";
    }
}
