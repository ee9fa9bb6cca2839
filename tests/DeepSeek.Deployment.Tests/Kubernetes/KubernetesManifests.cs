namespace DeepSeek.Deployment.Tests.Kubernetes;

/// <summary>The documents of infra/kubernetes, every file the kustomization lists.</summary>
internal static class KubernetesManifests
{
    public static string Folder { get; } = Repository.Path("infra", "kubernetes");

    public static Dictionary<string, object?> Kustomization { get; } = Yaml.Documents(Path.Combine(Folder, "kustomization.yaml")).Single();

    public static IReadOnlyList<string> Resources { get; } = [.. Kustomization.List("resources").Cast<string>()];

    public static IReadOnlyList<Dictionary<string, object?>> Documents { get; } =
        [.. Resources.SelectMany(r => Yaml.Documents(Path.Combine(Folder, r)))];

    public static IEnumerable<Dictionary<string, object?>> OfKind(string kind) => Documents.Where(d => d.Text("kind") == kind);

    public static Dictionary<string, object?> Named(string kind, string name) =>
        OfKind(kind).Single(d => d.Text("metadata", "name") == name);

    /// <summary>The environment variables a Deployment's worker container sets itself (not from the config map).</summary>
    public static Dictionary<string, string?> Env(Dictionary<string, object?> deployment) =>
        Container(deployment).List("env").ToDictionary(e => e.Text("name")!, e => e.Text("value"), StringComparer.Ordinal);

    public static object? Container(Dictionary<string, object?> deployment) =>
        deployment.List("spec", "template", "spec", "containers").Single(c => c.Text("name") == "worker");
}
