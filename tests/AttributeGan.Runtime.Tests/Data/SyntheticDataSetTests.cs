using System.IO;
using System.Linq;
using AttributeGan.Models.Specs;
using AttributeGan.Runtime.Data;
using Xunit;

namespace AttributeGan.Runtime.Tests.Data;

public class SyntheticDataSetTests
{
    [Fact]
    public void Levels_are_skewed_so_the_percentile_filter_drops_rare_combinations()
    {
        var tiny = new SyntheticDataSet(TinySpec.Instance.Attributes, 400, 3);
        var tinyFilter = CombinationFilter.Apply(tiny.AllLevels);
        var counts = tinyFilter.Kept.Concat(tinyFilter.Dropped).Select(c => c.Count).OrderBy(c => c).ToArray();
        Assert.Equal(6, counts.Length);
        Assert.True(counts[^1] >= 10 * counts[0], $"counts {string.Join(",", counts)} are not skewed");
        Assert.NotEmpty(tinyFilter.Dropped);

        // The paper's five attributes (288 combinations): attributes rise together, most combinations never occur.
        var full = new SyntheticDataSet(AttributeGan512Spec.Instance.Attributes, 4062, 1);
        var fullFilter = CombinationFilter.Apply(full.AllLevels);
        int seen = fullFilter.Kept.Count + fullFilter.Dropped.Count;
        Assert.InRange(seen, 60, 160);
        Assert.NotEmpty(fullFilter.Dropped);
    }

    [Fact]
    public void A_sample_is_the_same_whatever_the_set_size_and_draws_lazily_by_index()
    {
        var small = new SyntheticDataSet(TinySpec.Instance.Attributes, 10, 5);
        var large = new SyntheticDataSet(TinySpec.Instance.Attributes, 1000, 5);
        Assert.Equal(small.Levels(7), large.Levels(7));
        Assert.Equal(small.Draw(7, 32).Pixels, large.Draw(7, 32).Pixels);
        Assert.NotEqual(small.Draw(7, 32).Pixels, small.Draw(8, 32).Pixels);
        Assert.Equal(small.Levels(7)[0] / 2.0, small.Intensities(7).CellCrowding);
        Assert.Equal(small.Levels(7)[1], small.Intensities(7).Mitosis);
    }

    [Fact]
    public void Writing_and_loading_the_set_gives_the_in_memory_data_set()
    {
        using var folder = new TempDirectory();
        var spec = TinySpec.Instance;
        string table = SyntheticDataSet.Write(spec.Attributes, folder.Path, 120, spec.Resolution, 11);

        Assert.Equal(Path.Combine(folder.Path, "attributes.csv"), table);
        Assert.True(File.Exists(Path.Combine(folder.Path, "images", "000119.png")));
        Assert.StartsWith("path,cell_crowding,mitosis\nimages/000000.png,", File.ReadAllText(table));

        var memory = DataSet.Synthetic(spec, 120, 11);
        var disk = DataSet.Load(folder.Path, spec);
        Assert.Equal(memory.Count, disk.Count);
        Assert.Equal(memory.CombinationCount, disk.CombinationCount);
        Assert.True(memory.Count < 120, "the filter dropped nothing");
        for (int i = 0; i < memory.Count; i++)
        {
            Assert.Equal(memory.Samples[i].Levels, disk.Samples[i].Levels);
            Assert.Equal(memory.Samples[i].Label, disk.Samples[i].Label);
            Assert.Equal(memory.Image(i), disk.Image(i));
        }
    }

    [Fact]
    public void Images_are_drawn_once_and_kept_when_the_set_fits_the_budget()
    {
        var spec = TinySpec.Instance;
        var kept = DataSet.Synthetic(spec, 40, 5);
        var redrawn = DataSet.Synthetic(spec, 40, 5, cacheBytes: 0);

        for (int i = 0; i < kept.Count; i++)
        {
            var first = kept.Pixels(i);
            Assert.Same(first, kept.Pixels(i));
            Assert.Equal(redrawn.Pixels(i), first);
            Assert.NotSame(redrawn.Pixels(i), redrawn.Pixels(i));
        }
    }
}
