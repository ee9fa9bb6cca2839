namespace DeepSeek.Deployment.Tests.Arm;

/// <summary>A value only a deployment knows (an output of reference(), a resourceId(), ...), named by how it is computed.</summary>
internal sealed record ArmSymbol(string Path)
{
    public ArmSymbol Member(string name) => new($"{Path}.{name}");

    public override string ToString() => Path;
}
