using System.Globalization;
using System.Runtime.InteropServices;

namespace Nova.Firmware.EndToEnd.Tests.Swupdate;

/// <summary>
/// Linux process-tree helpers. SWUpdate forks helpers (suricatta, chunks downloader, progress); when
/// the main process dies first they are re-parented to init and keep its stdout pipe open, so
/// "kill the tree" must use a snapshot taken while the tree is still intact.
/// </summary>
internal static class ProcessTree
{
    public const int SigTerm = 15;
    public const int SigKill = 9;

    /// <summary>All descendants of <paramref name="rootPid"/> right now (from /proc/*/stat).</summary>
    public static IReadOnlyList<int> Descendants(int rootPid)
    {
        var parents = new Dictionary<int, int>();
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(directory), NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
            {
                continue;
            }

            try
            {
                // "pid (comm) state ppid ...": comm may contain spaces, so read after the last ')'.
                var stat = File.ReadAllText(Path.Combine(directory, "stat"));
                var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                parents[pid] = int.Parse(fields[1], CultureInfo.InvariantCulture);
            }
            catch (IOException)
            {
                // The process ended while we looked.
            }
        }

        var result = new List<int>();
        var frontier = new Queue<int>([rootPid]);
        while (frontier.TryDequeue(out var parent))
        {
            foreach (var (pid, ppid) in parents)
            {
                if (ppid == parent)
                {
                    result.Add(pid);
                    frontier.Enqueue(pid);
                }
            }
        }

        return result;
    }

    /// <summary>Live processes whose command line contains <paramref name="text"/>.</summary>
    public static IReadOnlyList<int> FindByCommandLine(string text)
    {
        var found = new List<int>();
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(directory), NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
            {
                continue;
            }

            try
            {
                if (File.ReadAllText(Path.Combine(directory, "cmdline")).Contains(text, StringComparison.Ordinal) && IsAlive(pid))
                {
                    found.Add(pid);
                }
            }
            catch (IOException)
            {
            }
            catch (UnauthorizedAccessException)
            {
            }
        }

        return found;
    }

    public static bool IsAlive(int pid) => Directory.Exists($"/proc/{pid}") && !IsZombie(pid);

    public static void Signal(int pid, int signal) => _ = Kill(pid, signal);

    private static bool IsZombie(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            return stat[(stat.LastIndexOf(')') + 2)..].StartsWith('Z');
        }
        catch (IOException)
        {
            return false;
        }
    }

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);
}
