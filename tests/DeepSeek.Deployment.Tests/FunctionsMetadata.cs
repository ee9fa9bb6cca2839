using System.Text.Json;

namespace DeepSeek.Deployment.Tests;

/// <summary>The functions of the built function app (its generated functions.metadata): name and, for queue triggers, the queue expression.</summary>
internal static class FunctionsMetadata
{
    public static IReadOnlyDictionary<string, string?> Functions { get; } = Read();

    private static Dictionary<string, string?> Read()
    {
        var path = Path.Combine(Repository.FunctionsOutput, "functions.metadata");
        Assert.True(File.Exists(path), $"{path} is missing: build src/DeepSeek.Functions first.");
        using var document = JsonDocument.Parse(File.ReadAllText(path));
        return document.RootElement.EnumerateArray().ToDictionary(
            f => f.GetProperty("name").GetString()!,
            f => f.GetProperty("bindings").EnumerateArray()
                .Where(b => b.GetProperty("type").GetString() == "queueTrigger")
                .Select(b => b.GetProperty("queueName").GetString())
                .SingleOrDefault(),
            StringComparer.Ordinal);
    }
}
