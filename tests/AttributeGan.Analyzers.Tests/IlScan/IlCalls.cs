using System.Collections.Generic;
using System.Reflection.Metadata;
using System.Reflection.Metadata.Ecma335;
using System.Reflection.PortableExecutable;

namespace AttributeGan.Analyzers.Tests.IlScan;

/// <summary>The methods a method body names: the operands of call, callvirt, newobj, jmp, ldftn and ldvirtftn.</summary>
/// <remarks>
/// <c>ldftn</c> matters as much as <c>call</c>: a lambda or closure method is only reached through the delegate its
/// declaring method creates, so that edge is what makes the lambda's Scalars count for the method that wrote it.
/// </remarks>
internal static class IlCalls
{
    public static List<EntityHandle> Callees(PEReader pe, MethodDefinition method)
    {
        var callees = new List<EntityHandle>();
        if (method.RelativeVirtualAddress == 0) return callees;   // abstract, extern, runtime-implemented
        var il = pe.GetMethodBody(method.RelativeVirtualAddress).GetILReader();
        while (il.RemainingBytes > 0)
        {
            int code = il.ReadByte();
            if (code == 0xFE) code = 0xFE00 | il.ReadByte();
            if (code is 0x27 or 0x28 or 0x6F or 0x73 or 0xFE06 or 0xFE07)
            {
                callees.Add(MetadataTokens.EntityHandle(il.ReadInt32()));
                continue;
            }
            // switch: a count, then that many targets. (Read the count first: in 'il.Offset += 4 * il.ReadInt32()' the
            // offset is read before the count is, and the count's own four bytes would be decoded as instructions.)
            var skip = code == 0x45 ? 4 * il.ReadInt32() : OperandSize(code);
            il.Offset += skip;
        }
        return callees;
    }

    /// <summary>Operand bytes after the opcode (ECMA-335 III; <c>switch</c>, whose length is in its operand, excepted).</summary>
    private static int OperandSize(int code) => code switch
    {
        // ldarg.s ldarga.s starg.s ldloc.s ldloca.s stloc.s, ldc.i4.s, short branches, leave.s, unaligned., no.
        >= 0x0E and <= 0x13 or 0x1F or >= 0x2B and <= 0x37 or 0xDE or 0xFE12 or 0xFE19 => 1,
        // ldarg ldarga starg ldloc ldloca stloc (long forms)
        >= 0xFE09 and <= 0xFE0E => 2,
        // ldc.i8, ldc.r8
        0x21 or 0x23 => 8,
        // ldc.i4, ldc.r4, calli, long branches, leave, and every token operand
        0x20 or 0x22 or 0x29 or >= 0x38 and <= 0x44 or 0xDD
            or >= 0x70 and <= 0x75 or 0x79 or >= 0x7B and <= 0x81 or 0x8C or 0x8D or 0x8F or 0xA3 or 0xA4 or 0xA5
            or 0xC2 or 0xC6 or 0xD0 or 0xFE15 or 0xFE16 or 0xFE1C => 4,
        _ => 0,
    };
}
