using YamlDotNet.Core;
using YamlDotNet.Core.Events;
using YamlDotNet.Serialization;

namespace DeepSeek.Deployment.Tests;

/// <summary>YAML files read as plain values: maps with string keys, lists and scalar strings.</summary>
internal static class Yaml
{
    private static readonly IDeserializer s_deserializer = new DeserializerBuilder().Build();

    /// <summary>Reads every document of a YAML file (documents separated by ---).</summary>
    public static List<Dictionary<string, object?>> Documents(string path)
    {
        var parser = new Parser(new StringReader(File.ReadAllText(path)));
        parser.Consume<StreamStart>();
        var documents = new List<Dictionary<string, object?>>();
        while (parser.Accept<DocumentStart>(out _))
        {
            if (Normalize(s_deserializer.Deserialize<object?>(parser)) is Dictionary<string, object?> document)
            {
                documents.Add(document);
            }
        }

        return documents;
    }

    /// <summary>Follows a path of map keys (and list indexes as numbers); null when a step is missing.</summary>
    public static object? At(this object? node, params object[] path)
    {
        foreach (var step in path)
        {
            node = (node, step) switch
            {
                (Dictionary<string, object?> map, string key) => map.GetValueOrDefault(key),
                (List<object?> list, int index) => index < list.Count ? list[index] : null,
                _ => null,
            };
        }

        return node;
    }

    public static string? Text(this object? node, params object[] path) => node.At(path) as string;

    public static List<object?> List(this object? node, params object[] path) => node.At(path) as List<object?> ?? [];

    private static object? Normalize(object? value) => value switch
    {
        Dictionary<object, object?> map => map.ToDictionary(p => Convert.ToString(p.Key, System.Globalization.CultureInfo.InvariantCulture)!, p => Normalize(p.Value), StringComparer.Ordinal),
        List<object?> list => list.Select(Normalize).ToList(),
        _ => value,
    };
}
