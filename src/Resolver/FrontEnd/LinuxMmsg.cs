using System.Runtime.InteropServices;

namespace AkkaDns.Resolver.FrontEnd;

/// <summary>
/// recvmmsg(2)/sendmmsg(2), which .NET does not expose: one system call moves a batch of datagrams each way, as
/// Knot and NSD do on Linux. Struct layouts are those of 64-bit Linux (x86-64 and arm64 agree); callers check
/// <see cref="IsSupported"/> first.
/// </summary>
internal static unsafe partial class LinuxMmsg
{
    public const int MsgWaitForOne = 0x10000; // MSG_WAITFORONE: block for the first datagram only
    public const int MsgTrunc = 0x20;         // MSG_TRUNC in msg_flags: the datagram was longer than the buffer
    public const int EIntr = 4, EAgain = 11;

    public static bool IsSupported => OperatingSystem.IsLinux() && Environment.Is64BitProcess;

    [StructLayout(LayoutKind.Sequential)]
    public struct IoVec
    {
        public byte* Base;
        public nuint Length;
    }

    [StructLayout(LayoutKind.Sequential)]
    public struct MsgHdr
    {
        public byte* Name;
        public uint NameLength;
        public IoVec* Iov;
        public nuint IovLength;
        public void* Control;
        public nuint ControlLength;
        public int Flags;
    }

    [StructLayout(LayoutKind.Sequential)]
    public struct MMsgHdr
    {
        public MsgHdr Header;
        public uint Length;
    }

    [LibraryImport("libc", EntryPoint = "recvmmsg", SetLastError = true)]
    public static partial int RecvMmsg(int fd, MMsgHdr* messages, uint count, int flags, void* timeout);

    [LibraryImport("libc", EntryPoint = "sendmmsg", SetLastError = true)]
    public static partial int SendMmsg(int fd, MMsgHdr* messages, uint count, int flags);
}
