using System.Text.Json;

namespace DeepSeek.Deployment.Tests;

/// <summary>
/// Read access to a compiled ARM template (language version 2.0: resources keyed by symbolic name) and the
/// templates of its modules (nested deployments).
/// </summary>
internal sealed class ArmTemplate(JsonElement root, string path)
{
    public string Path { get; } = path;

    public JsonElement Root { get; } = root;

    /// <summary>Gets the resources by symbolic name.</summary>
    public IEnumerable<(string Name, JsonElement Resource)> Resources =>
        Root.GetProperty("resources").ValueKind == JsonValueKind.Object
            ? Root.GetProperty("resources").EnumerateObject().Select(p => (p.Name, p.Value))
            : Root.GetProperty("resources").EnumerateArray().Select((r, i) => (i.ToString(System.Globalization.CultureInfo.InvariantCulture), r));

    public JsonElement Resource(string symbolicName) =>
        Resources.Single(r => r.Name == symbolicName).Resource;

    public IEnumerable<JsonElement> OfType(string type) =>
        Resources.Where(r => Type(r.Resource) == type).Select(r => r.Resource);

    /// <summary>Gets the template of a module (a Microsoft.Resources/deployments resource).</summary>
    public ArmTemplate Module(string symbolicName) =>
        new(Resource(symbolicName).GetProperty("properties").GetProperty("template"), $"{Path}/{symbolicName}");

    /// <summary>Gets this template and every module template below it.</summary>
    public IEnumerable<ArmTemplate> SelfAndModules()
    {
        yield return this;
        foreach (var (name, resource) in Resources.Where(r => Type(r.Resource) == "Microsoft.Resources/deployments"))
        {
            foreach (var nested in Module(name).SelfAndModules())
            {
                yield return nested;
            }
        }
    }

    /// <summary>Gets every resource of a type in this template and its modules.</summary>
    public IEnumerable<(ArmTemplate Template, JsonElement Resource)> AllOfType(string type) =>
        SelfAndModules().SelectMany(t => t.OfType(type).Select(r => (t, r)));

    public JsonElement Parameter(string name) => Root.GetProperty("parameters").GetProperty(name);

    public JsonElement Variable(string name) => Root.GetProperty("variables").GetProperty(name);

    /// <summary>Gets the loop body of a variable declared with a for-expression.</summary>
    public string CopyInput(string variable) =>
        Root.GetProperty("variables").GetProperty("copy").EnumerateArray()
            .Single(c => c.GetProperty("name").GetString() == variable).GetProperty("input").GetString()!;

    public static string Type(JsonElement resource) => resource.GetProperty("type").GetString()!;
}
