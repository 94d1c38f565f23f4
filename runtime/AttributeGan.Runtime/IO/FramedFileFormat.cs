using System;
using System.IO;
using System.Text;
using System.Text.Json;

namespace AttributeGan.Runtime.IO;

/// <summary>The header of a framed file: it says which version of its format wrote it.</summary>
public interface IFramedFileHeader
{
    int FormatVersion { get; }
}

/// <summary>
/// The layout AttributeGan's binary files share (checkpoints, attribute classifiers): eight ASCII magic bytes naming the
/// kind of file, the header as JSON in one length-prefixed UTF-8 string (<see cref="BinaryWriter.Write(string)"/>), the
/// body in the formats its owner writes (TorchSharp's), then the end marker <c>AGAN-END</c>, which tells a complete
/// file from a cut one. Files are written atomically (<see cref="AtomicFile"/>). Each kind of file derives one format
/// and words its own errors: which exception, and what the user should do.
/// </summary>
/// <typeparam name="THeader">The header record, serialised with <see cref="JsonSerializer"/>'s default options.</typeparam>
public abstract class FramedFileFormat<THeader> where THeader : class, IFramedFileHeader
{
    private static readonly byte[] EndMarker = Encoding.ASCII.GetBytes("AGAN-END");
    private readonly byte[] magic;

    /// <param name="magic">Eight ASCII characters naming the kind of file, e.g. <c>AGANCKPT</c>.</param>
    /// <param name="formatVersion">The header's <see cref="IFramedFileHeader.FormatVersion"/> this code reads and writes.</param>
    protected FramedFileFormat(string magic, int formatVersion)
    {
        this.magic = Encoding.ASCII.GetBytes(magic);
        if (this.magic.Length != EndMarker.Length) throw new ArgumentException($"A magic number has {EndMarker.Length} characters, got '{magic}'.", nameof(magic));
        FormatVersion = formatVersion;
    }

    public int FormatVersion { get; }

    /// <summary>Writes magic, header, body (<paramref name="writeBody"/>) and end marker to <paramref name="path"/>, atomically.</summary>
    public void Write(string path, THeader header, Action<BinaryWriter> writeBody) => AtomicFile.Write(path, stream =>
    {
        using var writer = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true);
        writer.Write(magic);
        writer.Write(JsonSerializer.Serialize(header));
        writeBody(writer);
        writer.Write(EndMarker);
        writer.Flush();
    });

    /// <summary>Reads only the header (no body).</summary>
    public THeader ReadHeader(string path)
    {
        using var stream = OpenRead(path);
        using var reader = new BinaryReader(stream, Encoding.UTF8);
        return ReadHeader(reader, path);
    }

    /// <summary>
    /// Reads a whole file: the header; <paramref name="prepare"/> with it, which makes what the body loads into and may
    /// refuse the file (another model's, say); <paramref name="readBody"/>; the end marker. A body that ends early or
    /// does not parse, and a missing end marker, are reported by <see cref="DamagedBody"/>. When anything after
    /// <paramref name="prepare"/> fails, a prepared value that is <see cref="IDisposable"/> is disposed.
    /// </summary>
    /// <returns>What <paramref name="prepare"/> made, with the body loaded into it.</returns>
    public TPrepared Read<TPrepared>(string path, Func<THeader, TPrepared> prepare, Action<TPrepared, BinaryReader> readBody)
    {
        using var stream = OpenRead(path);
        using var reader = new BinaryReader(stream, Encoding.UTF8);
        var prepared = prepare(ReadHeader(reader, path));
        try
        {
            readBody(prepared, reader);
            var end = reader.ReadBytes(EndMarker.Length);
            if (!end.AsSpan().SequenceEqual(EndMarker)) throw new EndOfStreamException("the end marker is missing");
            return prepared;
        }
        catch (Exception e) when (e is EndOfStreamException or IOException or ArgumentException or InvalidOperationException)
        {
            (prepared as IDisposable)?.Dispose();
            throw DamagedBody(path, e);
        }
        catch
        {
            (prepared as IDisposable)?.Dispose();
            throw;
        }
    }

    /// <summary>The file is missing or unreadable (<paramref name="cause"/>: not found, no such directory, no access).</summary>
    protected abstract Exception CannotOpen(string path, Exception cause);

    /// <summary>The file does not start with this format's magic number: it is some other file.</summary>
    protected abstract Exception WrongMagic(string path);

    /// <summary>The header is JSON <c>null</c>.</summary>
    protected abstract Exception EmptyHeader(string path);

    /// <summary>The header says another format version than <see cref="FormatVersion"/>.</summary>
    protected abstract Exception UnsupportedVersion(string path, int version);

    /// <summary>The header is cut short or is not valid JSON.</summary>
    protected abstract Exception DamagedHeader(string path, Exception cause);

    /// <summary>The body is cut short, does not parse, or lacks the end marker.</summary>
    protected abstract Exception DamagedBody(string path, Exception cause);

    private FileStream OpenRead(string path)
    {
        try
        {
            return new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException or UnauthorizedAccessException)
        {
            throw CannotOpen(path, e);
        }
    }

    private THeader ReadHeader(BinaryReader reader, string path)
    {
        try
        {
            var found = reader.ReadBytes(magic.Length);
            if (!found.AsSpan().SequenceEqual(magic)) throw WrongMagic(path);
            var header = JsonSerializer.Deserialize<THeader>(reader.ReadString()) ?? throw EmptyHeader(path);
            if (header.FormatVersion != FormatVersion) throw UnsupportedVersion(path, header.FormatVersion);
            return header;
        }
        catch (Exception e) when (e is EndOfStreamException or JsonException or IOException)
        {
            throw DamagedHeader(path, e);
        }
    }
}
