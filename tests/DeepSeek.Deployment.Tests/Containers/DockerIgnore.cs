namespace DeepSeek.Deployment.Tests.Containers;

/// <summary>The root .dockerignore: what the images' build context leaves out (the patterns used here: a/, **/a/).</summary>
internal static class DockerIgnore
{
    private static readonly string[] s_patterns =
        [.. File.ReadAllLines(Repository.Path(".dockerignore")).Select(l => l.Trim()).Where(l => l.Length > 0 && !l.StartsWith('#'))];

    public static bool Excludes(string path)
    {
        var segments = path.Replace('\\', '/').Trim('/').Split('/');
        foreach (var pattern in s_patterns.Select(p => p.TrimEnd('/')))
        {
            if (pattern.StartsWith("**/", StringComparison.Ordinal))
            {
                if (segments.Contains(pattern[3..]))
                {
                    return true;
                }
            }
            else if (string.Join('/', segments).StartsWith(pattern, StringComparison.Ordinal)
                && (string.Join('/', segments).Length == pattern.Length || string.Join('/', segments)[pattern.Length] == '/'))
            {
                return true;
            }
        }

        return false;
    }
}
