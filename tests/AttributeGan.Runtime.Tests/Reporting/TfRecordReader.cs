using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.IO;

namespace AttributeGan.Runtime.Tests.Reporting;

/// <summary>
/// Reads TFRecord framing independently of the writer: each record is u64 length, u32 masked CRC-32C of those
/// 8 bytes, the payload, u32 masked CRC-32C of the payload (all little-endian). Both checksums are verified.
/// </summary>
internal static class TfRecordReader
{
    public static List<byte[]> ReadRecords(string path)
    {
        var bytes = File.ReadAllBytes(path);
        var records = new List<byte[]>();
        int position = 0;
        while (position < bytes.Length)
        {
            if (bytes.Length - position < 12) throw new InvalidDataException($"Truncated record header at byte {position}.");
            var header = bytes.AsSpan(position, 8);
            ulong length = BinaryPrimitives.ReadUInt64LittleEndian(header);
            uint headerCrc = BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(position + 8, 4));
            if (headerCrc != MaskedCrc(header)) throw new InvalidDataException($"Bad length checksum at byte {position}.");
            position += 12;
            if ((ulong)(bytes.Length - position) < length + 4) throw new InvalidDataException($"Truncated record payload at byte {position}.");
            var payload = bytes.AsSpan(position, (int)length);
            uint payloadCrc = BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(position + (int)length, 4));
            if (payloadCrc != MaskedCrc(payload)) throw new InvalidDataException($"Bad payload checksum at byte {position}.");
            records.Add(payload.ToArray());
            position += (int)length + 4;
        }

        return records;
    }

    // TensorFlow's mask: rotate right by 15 bits and add a constant, so CRCs of CRC-bearing data stay useful.
    private static uint MaskedCrc(ReadOnlySpan<byte> data)
    {
        uint crc = Crc32C(data);
        return ((crc >> 15) | (crc << 17)) + 0xa282ead8u;
    }

    private static readonly uint[] Table = BuildTable();

    private static uint[] BuildTable()
    {
        var table = new uint[256];
        for (uint i = 0; i < 256; i++)
        {
            uint c = i;
            for (int k = 0; k < 8; k++) c = (c & 1) != 0 ? 0x82F63B78u ^ (c >> 1) : c >> 1;   // Castagnoli, reflected
            table[i] = c;
        }

        return table;
    }

    private static uint Crc32C(ReadOnlySpan<byte> data)
    {
        uint crc = 0xFFFFFFFFu;
        foreach (byte b in data) crc = Table[(crc ^ b) & 0xFF] ^ (crc >> 8);
        return ~crc;
    }
}
