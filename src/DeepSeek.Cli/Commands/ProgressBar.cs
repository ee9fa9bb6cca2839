namespace DeepSeek.Cli.Commands;

/// <summary>A one-line text progress bar.</summary>
internal static class ProgressBar
{
    public static string Render(int done, int total, int width = 30)
    {
        int filled = total <= 0 ? width : (int)Math.Round((double)Math.Min(done, total) / total * width);
        return "[" + new string('#', filled) + new string('.', width - filled) + "]";
    }
}
