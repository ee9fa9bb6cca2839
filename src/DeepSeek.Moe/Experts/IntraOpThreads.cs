namespace DeepSeek.Moe.Experts;

/// <summary>
/// The intra-op thread count a session gets when none is configured. ONNX Runtime's own default is one thread per
/// physical core of the machine, blind to a container's CPU quota and to the affinity mask: an engine holds a
/// session per expert, so 16 experts in a 4-CPU container on a 64-core host would start over a thousand threads.
/// Where this process may use fewer CPUs than the machine has online, sessions get that many
/// (<see cref="Environment.ProcessorCount"/>, which counts affinity and the cgroup quota); elsewhere ONNX Runtime's
/// default stands.
/// </summary>
internal static class IntraOpThreads
{
    private static readonly Lazy<int?> s_onlineCpus = new(ReadOnlineCpus);

    /// <summary>The count to give ONNX Runtime for a configured one (0: choose).</summary>
    /// <param name="configured">The configured count; above 0 it is kept.</param>
    /// <returns>The configured count, the usable CPUs of a restricted process, or 0 (ONNX Runtime's default).</returns>
    public static int For(int configured) => Choose(configured, Environment.ProcessorCount, s_onlineCpus.Value);

    /// <summary>The choice itself: the configured count, else the usable CPUs when fewer than those online, else 0.</summary>
    /// <param name="configured">The configured count.</param>
    /// <param name="usableCpus">The CPUs this process may use.</param>
    /// <param name="onlineCpus">The CPUs online on the machine, null when unknown.</param>
    /// <returns>The count for ONNX Runtime.</returns>
    public static int Choose(int configured, int usableCpus, int? onlineCpus) =>
        configured > 0 ? configured
        : onlineCpus is { } online && usableCpus < online ? Math.Max(usableCpus, 1)
        : 0;

    /// <summary>Counts the CPUs of a Linux CPU list, as in <c>/sys/devices/system/cpu/online</c> ("0-3,8-11,16").</summary>
    /// <param name="list">The list.</param>
    /// <returns>The count, or null when the text is not such a list.</returns>
    public static int? CountCpuList(string list)
    {
        ArgumentNullException.ThrowIfNull(list);
        int count = 0;
        foreach (string part in list.Trim().Split(',', StringSplitOptions.RemoveEmptyEntries))
        {
            string[] bounds = part.Split('-');
            if (bounds.Length is < 1 or > 2
                || !int.TryParse(bounds[0], out int first)
                || !int.TryParse(bounds[^1], out int last)
                || first < 0 || last < first)
            {
                return null;
            }

            count += last - first + 1;
        }

        return count > 0 ? count : null;
    }

    private static int? ReadOnlineCpus()
    {
        const string path = "/sys/devices/system/cpu/online";
        try
        {
            return OperatingSystem.IsLinux() && File.Exists(path) ? CountCpuList(File.ReadAllText(path)) : null;
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }
}
