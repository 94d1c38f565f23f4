using System;
using AttributeGan.Models.Specs;
using AttributeGan.Runtime.Data;
using Xunit;

namespace AttributeGan.Evaluation.Tests;

/// <summary>
/// The Tiny spec's synthetic data (cell_crowding: 3 levels, mitosis: 2) written once to a folder at 16×16 and loaded
/// from it, as a user's data would be: loaded folders keep their decoded images in memory, so epochs do not redraw them.
/// </summary>
public sealed class TinyData : IDisposable
{
    public const int Count = 384;

    private readonly TempDirectory directory = new();

    public TinyData()
    {
        SyntheticDataSet.Write(TinySpec.Instance.Attributes, directory.Path, Count, 16, seed: 11);
        Data = DataSet.Load(directory.Path, TinySpec.Instance);
    }

    public string Folder => directory.Path;

    public DataSet Data { get; }

    public void Dispose() => directory.Dispose();
}

[CollectionDefinition(Name)]
public sealed class TinyDataCollection : ICollectionFixture<TinyData>
{
    public const string Name = "Tiny synthetic data";
}
