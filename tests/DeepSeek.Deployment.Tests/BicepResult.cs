namespace DeepSeek.Deployment.Tests;

/// <summary>The exit code and output of one bicep CLI run.</summary>
internal sealed record BicepResult(int ExitCode, string Output, string Errors)
{
    public override string ToString() => $"exit code {ExitCode}\n{Output}\n{Errors}";
}
