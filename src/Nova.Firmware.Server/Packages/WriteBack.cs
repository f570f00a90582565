using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Nova.Firmware.Server.Packages;

/// <summary>
/// Starts the kernel's write-back of an import's temporary file while the upload is still arriving,
/// so the fsync before the package row is written only waits for the last few megabytes instead of
/// the whole file (at 512 MiB that wait was a long serial step after the last byte came in).
/// On Linux every <see cref="Window"/> written is handed to <c>sync_file_range(SYNC_FILE_RANGE_WRITE)</c>,
/// which queues the pages for writing and returns; elsewhere, or if the call fails, nothing
/// happens and the final fsync does all the work, as before. Durability never depends on this:
/// the fsync stays.
/// </summary>
internal sealed class WriteBack(SafeFileHandle file)
{
    /// <summary>How much is written between two write-back starts: large enough to be a handful of syscalls per GiB.</summary>
    public const long Window = 8 * 1024 * 1024;

    private const uint SyncFileRangeWrite = 2; // SYNC_FILE_RANGE_WRITE in <linux/fs.h>

    private static bool s_unavailable = !OperatingSystem.IsLinux();
    private long _started;

    /// <summary>The file now holds <paramref name="written"/> bytes: starts writing back every whole window not yet started.</summary>
    public void Written(long written)
    {
        if (s_unavailable || written - _started < Window)
        {
            return;
        }
        var upTo = written - (written % Window);
        try
        {
            if (SyncFileRange(file, _started, upTo - _started, SyncFileRangeWrite) != 0
                && Marshal.GetLastPInvokeError() is 38 /* ENOSYS */ or 22 /* EINVAL */ or 29 /* ESPIPE */)
            {
                // Not supported here: leave it all to the fsync from now on.
                s_unavailable = true;
            }
        }
        catch (EntryPointNotFoundException)
        {
            s_unavailable = true;
            return;
        }
        catch (DllNotFoundException)
        {
            s_unavailable = true;
            return;
        }
        _started = upTo;
    }

    [DllImport("libc", EntryPoint = "sync_file_range", SetLastError = true)]
    private static extern int SyncFileRange(SafeFileHandle fd, long offset, long nbytes, uint flags);
}
