using System;
using System.Reflection;
using System.Runtime.InteropServices;
using System.Text;

namespace AttributeGan.Runtime.Distributed;

/// <summary>
/// The few MPI calls data-parallel training needs, bound directly against the MPICH ABI (MPICH, Intel MPI and other
/// members of the MPICH ABI initiative share it: handles are C ints, <c>libmpi.so.12</c>). MPI.NET is not used: it
/// targets MS-MPI and needs its DLL name remapped anyway. Every call's return code is checked: the world communicator
/// is switched to <c>MPI_ERRORS_RETURN</c> right after initialisation, so an error surfaces as an
/// <see cref="MpiException"/> naming the call instead of MPICH's default of killing the job without a .NET stack.
/// </summary>
internal static class MpiNative
{
    private const string Library = "mpi";

    // Tried in order: MPICH's own soname, the ABI initiative's common soname, the development symlink.
    private static readonly string[] Candidates = { "libmpich.so.12", "libmpi.so.12", "libmpi.so" };

    /// <summary>Names one MPI library (a path or soname) to load instead of searching the usual names.</summary>
    public const string LibraryVariable = "ATTRIBUTEGAN_MPI_LIBRARY";

    private static readonly object Gate = new();
    private static IntPtr _handle;
    private static string? _refusal;

    // Handle values from MPICH 4.0.2's /usr/include/x86_64-linux-gnu/mpich/mpi.h (Debian package libmpich-dev); they
    // are part of the MPICH ABI and identical in every release that ships libmpi.so.12.
    public const int CommWorld = 0x44000000;        // MPI_COMM_WORLD
    public const int CommNull = 0x04000000;         // MPI_COMM_NULL
    public const int RequestNull = 0x2c000000;      // MPI_REQUEST_NULL
    public const int Byte = 0x4c00010d;             // MPI_BYTE
    public const int Int = 0x4c000405;              // MPI_INT
    public const int Float = 0x4c00040a;            // MPI_FLOAT
    public const int Double = 0x4c00080b;           // MPI_DOUBLE
    public const int Int64 = 0x4c00083a;            // MPI_INT64_T
    public const int Sum = 0x58000003;              // MPI_SUM
    public const int ErrorsReturn = 0x54000001;     // MPI_ERRORS_RETURN
    public const int ThreadSerialized = 2;          // MPI_THREAD_SERIALIZED
    public const int Success = 0;                   // MPI_SUCCESS
    public static readonly IntPtr InPlace = new(-1);     // MPI_IN_PLACE: (void *) -1
    public static readonly IntPtr StatusIgnore = new(1); // MPI_STATUS_IGNORE: (MPI_Status *) 1
    private const int MaxLibraryVersionString = 8192;    // MPI_MAX_LIBRARY_VERSION_STRING
    private const int MaxErrorString = 512;              // MPI_MAX_ERROR_STRING

    public const string InstallHint = "install MPICH: apt-get install -y mpich";

    // .NET allows one resolver per assembly: this is the Runtime assembly's, and it answers only for "mpi".
    static MpiNative() => NativeLibrary.SetDllImportResolver(typeof(MpiNative).Assembly, Resolve);

    /// <summary>
    /// Loads the MPI library or throws <see cref="DllNotFoundException"/> telling how to install it. Also refuses an
    /// Open MPI library found under a generic name: its handles are pointers, so the constants above would crash it.
    /// </summary>
    public static void EnsureLoaded()
    {
        lock (Gate)
        {
            if (_refusal is not null) throw new DllNotFoundException(_refusal);
            if (_handle != IntPtr.Zero) return;
            var chosen = Environment.GetEnvironmentVariable(LibraryVariable);
            var candidates = string.IsNullOrEmpty(chosen) ? Candidates : new[] { chosen };
            foreach (var name in candidates)
            {
                if (NativeLibrary.TryLoad(name, out var handle))
                {
                    _handle = handle;
                    break;
                }
            }

            if (_handle == IntPtr.Zero)
                throw new DllNotFoundException($"No MPI library could be loaded (tried {string.Join(", ", candidates)}); {InstallHint}");
        }

        var version = LibraryVersion();
        if (version.Contains("Open MPI", StringComparison.OrdinalIgnoreCase))
        {
            _refusal = $"The MPI library found is Open MPI ({FirstLine(version)}), whose ABI this binding does not speak; {InstallHint} and run under mpiexec.mpich";
            throw new DllNotFoundException(_refusal);
        }
    }

    /// <summary>MPI_Get_library_version; callable before MPI_Init.</summary>
    public static string LibraryVersion()
    {
        var buffer = new byte[MaxLibraryVersionString];
        Check(MPI_Get_library_version(buffer, out var length), "MPI_Get_library_version");
        return Encoding.ASCII.GetString(buffer, 0, Math.Clamp(length, 0, buffer.Length)).TrimEnd('\0', '\n', ' ');
    }

    /// <summary>True once MPI_Finalize has run (after which no other MPI call is allowed).</summary>
    public static bool IsFinalized()
    {
        Check(MPI_Finalized(out var flag), "MPI_Finalized");
        return flag != 0;
    }

    public static bool IsInitialized()
    {
        Check(MPI_Initialized(out var flag), "MPI_Initialized");
        return flag != 0;
    }

    /// <summary>Throws an <see cref="MpiException"/> naming <paramref name="call"/> unless <paramref name="code"/> is MPI_SUCCESS.</summary>
    public static void Check(int code, string call)
    {
        if (code != Success) throw new MpiException(call, code, ErrorText(code));
    }

    public static string FirstLine(string text)
    {
        var end = text.IndexOf('\n');
        return (end < 0 ? text : text[..end]).Trim();
    }

    private static string ErrorText(int code)
    {
        try
        {
            var buffer = new byte[MaxErrorString];
            return MPI_Error_string(code, buffer, out var length) == Success
                ? Encoding.ASCII.GetString(buffer, 0, Math.Clamp(length, 0, buffer.Length))
                : "no description";
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return "no description";
        }
    }

    private static IntPtr Resolve(string name, Assembly assembly, DllImportSearchPath? path)
    {
        if (name != Library) return IntPtr.Zero;
        EnsureLoaded();
        return _handle;
    }

    // Signatures from MPICH 4.0.2's mpi_proto.h; every handle (MPI_Comm, MPI_Datatype, MPI_Op, MPI_Request,
    // MPI_Errhandler) is an int in this ABI. Pointers to buffers are passed as IntPtr (tensor memory).
    [DllImport(Library)] public static extern int MPI_Init_thread(IntPtr argc, IntPtr argv, int required, out int provided);
    [DllImport(Library)] public static extern int MPI_Initialized(out int flag);
    [DllImport(Library)] public static extern int MPI_Finalize();
    [DllImport(Library)] public static extern int MPI_Finalized(out int flag);
    [DllImport(Library)] public static extern int MPI_Comm_rank(int comm, out int rank);
    [DllImport(Library)] public static extern int MPI_Comm_size(int comm, out int size);
    [DllImport(Library)] public static extern int MPI_Comm_dup(int comm, out int newComm);
    [DllImport(Library)] public static extern int MPI_Comm_free(ref int comm);
    [DllImport(Library)] public static extern int MPI_Comm_set_errhandler(int comm, int errhandler);
    [DllImport(Library)] public static extern int MPI_Allreduce(IntPtr sendBuffer, IntPtr receiveBuffer, int count, int datatype, int op, int comm);
    [DllImport(Library)] public static extern int MPI_Iallreduce(IntPtr sendBuffer, IntPtr receiveBuffer, int count, int datatype, int op, int comm, out int request);
    [DllImport(Library)] public static extern int MPI_Test(ref int request, out int flag, IntPtr status);
    [DllImport(Library)] public static extern int MPI_Wait(ref int request, IntPtr status);
    [DllImport(Library)] public static extern int MPI_Bcast(IntPtr buffer, int count, int datatype, int root, int comm);
    [DllImport(Library)] public static extern int MPI_Allgather(IntPtr sendBuffer, int sendCount, int sendType, IntPtr receiveBuffer, int receiveCount, int receiveType, int comm);
    [DllImport(Library)] public static extern int MPI_Allgather(int[] sendBuffer, int sendCount, int sendType, int[] receiveBuffer, int receiveCount, int receiveType, int comm);
    [DllImport(Library)] public static extern int MPI_Allgather(long[] sendBuffer, int sendCount, int sendType, long[] receiveBuffer, int receiveCount, int receiveType, int comm);
    [DllImport(Library)] public static extern int MPI_Allgatherv(byte[] sendBuffer, int sendCount, int sendType, byte[] receiveBuffer, int[] receiveCounts, int[] displacements, int receiveType, int comm);
    [DllImport(Library)] public static extern int MPI_Barrier(int comm);
    [DllImport(Library)] public static extern int MPI_Abort(int comm, int errorCode);
    [DllImport(Library)] private static extern int MPI_Get_library_version(byte[] version, out int length);
    [DllImport(Library)] private static extern int MPI_Error_string(int errorCode, byte[] text, out int length);
}
