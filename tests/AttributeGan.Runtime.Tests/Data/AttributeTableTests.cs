using System.IO;
using AttributeGan.Models.Specs;
using AttributeGan.Runtime.Data;
using Xunit;

namespace AttributeGan.Runtime.Tests.Data;

/// <summary>Tiny's attributes: cell_crowding [normal, mild, severe], mitosis [rare, frequent].</summary>
public sealed class AttributeTableTests : System.IDisposable
{
    private readonly TempDirectory folder = new();

    public AttributeTableTests()
    {
        foreach (var name in new[] { "a.png", "b.png", "c d.png", "e,f.png" }) File.WriteAllBytes(folder.File(name), new byte[] { 1 });
    }

    public void Dispose() => folder.Dispose();

    [Fact]
    public void Reads_names_case_insensitively_indices_any_column_order_and_quoted_fields()
    {
        string csv = folder.Write("attributes.csv",
            "\uFEFFmitosis, Path ,CELL_CROWDING\r\n" +
            "rare,a.png,normal\r\n" +
            "\r\n" +
            "1,b.png,2\n" +
            "\"FREQUENT\",\"e,f.png\",\"mild\"\n" +
            "0,c d.png,0\n");
        var table = AttributeTable.Read(csv, TinySpec.Instance.Attributes);

        Assert.Equal(4, table.Rows.Count);
        Assert.Equal(new[] { 0, 0 }, table.Rows[0].Levels);
        Assert.Equal(new[] { 2, 1 }, table.Rows[1].Levels);
        Assert.Equal(4, table.Rows[1].Line);   // the blank line still counts
        Assert.Equal("e,f.png", table.Rows[2].Path);
        Assert.Equal(new[] { 1, 1 }, table.Rows[2].Levels);
        Assert.Equal(Path.Combine(folder.Path, "c d.png"), table.Rows[3].FullPath);
    }

    [Fact]
    public void A_quoted_field_may_hold_quotes_and_line_breaks_and_keeps_line_numbers()
    {
        File.WriteAllBytes(folder.File("x\"y\nz.png"), new byte[] { 1 });
        string csv = folder.Write("attributes.csv", "path,cell_crowding,mitosis\n\"x\"\"y\nz.png\",normal,rare\nbogus.png,normal,often\n");
        var error = Assert.Throws<DataSetException>(() => AttributeTable.Read(csv, TinySpec.Instance.Attributes));
        Assert.Equal(4, error.Line);
    }

    [Theory]
    [InlineData("path,cell_crowding\na.png,normal\n", 1, "mitosis", "lacks the spec's attribute column(s) 'mitosis'", "path,cell_crowding,mitosis")]
    [InlineData("path,cell_crowding,mitosis,stain\na.png,normal,rare,he\n", 1, "stain", "'stain' that the spec does not define", "path,cell_crowding,mitosis")]
    [InlineData("file,cell_crowding,mitosis\na.png,normal,rare\n", 1, null, "no 'path' column", "path,cell_crowding,mitosis")]
    [InlineData("path,cell_crowding,mitosis\na.png,normal,often\n", 2, "mitosis", "'often' is not a level of 'mitosis'; its levels are rare, frequent", "rare, frequent (case-insensitive) or its 0-based index 0..1")]
    [InlineData("path,cell_crowding,mitosis\na.png,3,rare\n", 2, "cell_crowding", "level index 3 is out of range: 'cell_crowding' has 3 levels (0..2)", "0-based index 0..2")]
    [InlineData("path,cell_crowding,mitosis\na.png,-1,rare\n", 2, "cell_crowding", "level index -1 is out of range", "0-based index 0..2")]
    [InlineData("path,cell_crowding,mitosis\na.png,normal,rare\nb.png,mild,rare\na.png,severe,rare\n", 4, "path", "'a.png' is listed twice (first on line 2)", "keep one row per image")]
    [InlineData("path,cell_crowding,mitosis\nmissing.png,normal,rare\n", 2, "path", "the image 'missing.png' does not exist", "correct the path (it is relative to the table's folder)")]
    [InlineData("path,cell_crowding,mitosis\na.png,normal\n", 2, null, "the row has 2 fields but the header has 3", "quote a field that contains a comma")]
    [InlineData("path,cell_crowding,mitosis\n", 1, null, "a header but no rows", "add one row per image")]
    [InlineData("\n\n", 1, null, "the table is empty", "start it with the header 'path,cell_crowding,mitosis'")]
    [InlineData("path,cell_crowding,mitosis\n\"a.png,normal,rare\n", 2, null, "a quoted field is never closed", "close the quote")]
    [InlineData("path,cell_crowding,mitosis\n\"a.png\"x,normal,rare\n", 2, null, "text after the closing quote", "put the whole field inside the quotes")]
    [InlineData("path,cell_crowding,Cell_Crowding,mitosis\n", 1, "Cell_Crowding", "names column 'Cell_Crowding' twice", "keep one column per attribute")]
    public void Every_table_error_names_file_line_column_and_fix(string text, int line, string? column, string problem, string fix)
    {
        string csv = folder.Write("attributes.csv", text);
        var error = Assert.Throws<DataSetException>(() => AttributeTable.Read(csv, TinySpec.Instance.Attributes));

        Assert.Equal(csv, error.File);
        Assert.Equal(line, error.Line);
        Assert.Equal(column, error.Column);
        Assert.StartsWith($"{csv}, line {line}" + (column is null ? ":" : $", column '{column}':"), error.Message);
        Assert.Contains(problem, error.Message);
        Assert.Contains("Fix: ", error.Message);
        Assert.Contains(fix, error.Fix);
    }

    [Fact]
    public void A_missing_table_says_what_to_write()
    {
        var error = Assert.Throws<DataSetException>(() => AttributeTable.Read(folder.File("nope.csv"), TinySpec.Instance.Attributes));
        Assert.Contains("nope.csv: the attribute table does not exist. Fix: ", error.Message);
        Assert.Contains("path,cell_crowding,mitosis", error.Message);
    }

    [Fact]
    public void Written_tables_quote_what_needs_quoting_and_read_back()
    {
        string csv = folder.File("attributes.csv");
        AttributeTable.Write(csv, TinySpec.Instance.Attributes, new[] { ("e,f.png", (System.Collections.Generic.IReadOnlyList<int>)new[] { 2, 1 }), ("a.png", new[] { 0, 0 }) });

        Assert.Equal("path,cell_crowding,mitosis\n\"e,f.png\",severe,frequent\na.png,normal,rare\n", File.ReadAllText(csv));
        Assert.Equal(new[] { 2, 1 }, AttributeTable.Read(csv, TinySpec.Instance.Attributes).Rows[0].Levels);
    }
}
