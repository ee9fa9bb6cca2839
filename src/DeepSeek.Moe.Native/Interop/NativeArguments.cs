namespace DeepSeek.Moe.Native.Interop;

/// <summary>
/// Buffer-size checks made before a pointer crosses the boundary: the library cannot see a span's length, so an
/// undersized buffer must never reach it. Values themselves (negative sizes, k above the expert count) are left
/// to the library, which rejects them with its own message.
/// </summary>
internal static class NativeArguments
{
    /// <exception cref="ArgumentException">The buffer holds fewer than <c>rows * cols</c> values (negative sizes count as 0).</exception>
    public static void RequireLength(int length, long rows, long cols, string name)
    {
        long needed = Math.Max(0, rows) * Math.Max(0, cols);
        if (length < needed)
        {
            throw new ArgumentException($"{name} holds {length} values; {rows} x {cols} = {needed} are needed.", name);
        }
    }
}
