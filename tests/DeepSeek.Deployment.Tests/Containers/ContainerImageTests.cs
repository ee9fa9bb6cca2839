using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace DeepSeek.Deployment.Tests.Containers;

/// <summary>
/// What can be checked of the images without a Docker engine: every file they copy exists and reaches the build
/// context, the projects they publish exist, the stages they copy from are declared, the bases fit the app.
/// </summary>
public sealed partial class ContainerImageTests
{
    public static TheoryData<string> Dockerfiles => new() { "functions.Dockerfile", "worker.Dockerfile" };

    [Theory]
    [MemberData(nameof(Dockerfiles))]
    public void EveryCopiedSource_ExistsInTheRepository_AndInTheBuildContext(string name)
    {
        var dockerfile = Load(name);

        foreach (var copy in dockerfile.Copies.Where(c => c.From is null))
        {
            foreach (var source in copy.Sources)
            {
                var path = Repository.Path(source.TrimEnd('/'));
                Assert.True(File.Exists(path) || Directory.Exists(path), $"{name}: COPY {source} does not exist.");
                Assert.False(DockerIgnore.Excludes(source), $"{name}: COPY {source} is excluded by .dockerignore.");
            }
        }
    }

    [Theory]
    [MemberData(nameof(Dockerfiles))]
    public void EveryCopyFromAStage_NamesAnEarlierStage(string name)
    {
        var dockerfile = Load(name);
        var declared = new HashSet<string>(StringComparer.Ordinal);

        foreach (var (keyword, arguments) in dockerfile.Instructions)
        {
            if (keyword == "FROM")
            {
                var parts = arguments.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                if (parts.Length == 3)
                {
                    declared.Add(parts[2]);
                }
            }
            else if (keyword == "COPY" && Dockerfile.Copy.Parse(arguments).From is { } from)
            {
                Assert.True(declared.Contains(from), $"{name}: COPY --from={from} names no earlier stage.");
            }
        }
    }

    [Theory]
    [MemberData(nameof(Dockerfiles))]
    public void EveryProjectBuilt_Exists_AndPublishesAgainstTheGpuRuntimeWithPrebuiltNativeLibraries(string name)
    {
        var dockerfile = Load(name);
        var projects = dockerfile.Runs.SelectMany(r => ProjectArgument().Matches(r)).Select(m => m.Groups[1].Value).ToList();

        Assert.NotEmpty(projects);
        Assert.All(projects, p => Assert.True(File.Exists(Repository.Path(p)), $"{name}: {p} does not exist."));
        var publish = dockerfile.Runs.Single(r => r.Contains("dotnet publish", StringComparison.Ordinal));
        Assert.Contains("-p:OnnxRuntimeFlavor=gpu", publish, StringComparison.Ordinal);
        Assert.Contains("-p:DsmSkipNativeBuild=true", publish, StringComparison.Ordinal);
        Assert.Contains("libdeepseek_moe_cuda.so", publish, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Dockerfiles))]
    public void NativeStage_CompilesTheCudaKernelsForT4AndA100(string name)
    {
        var dockerfile = Load(name);

        var architectures = dockerfile.Argument("CUDA_ARCHITECTURES")!.Split(';');
        Assert.Contains("75-real", architectures);
        Assert.Contains("80-real", architectures);
        Assert.Contains(dockerfile.Stages, s => s.Image.StartsWith("nvidia/cuda:", StringComparison.Ordinal) && s.Image.Contains("-devel-", StringComparison.Ordinal));
        Assert.Contains(dockerfile.Runs, r => r.Contains("CMAKE_CUDA_ARCHITECTURES", StringComparison.Ordinal) && r.Contains("libdeepseek_moe_cuda.so", StringComparison.Ordinal));
        Assert.Contains(dockerfile.Runs, r => r.Contains("libcudnn", StringComparison.Ordinal));
    }

    [Fact]
    public void FunctionImage_RunsOnTheFunctionsIsolatedBaseImage_ForTheProjectsFramework()
    {
        var dockerfile = Load("functions.Dockerfile");
        var framework = TargetFramework();

        var runtime = dockerfile.Stages[^1].Image;
        Assert.Equal($"mcr.microsoft.com/azure-functions/dotnet-isolated:4-dotnet-isolated{framework}", runtime);
        Assert.Contains(dockerfile.Copies, c => c.From == "build" && c.Destination == "/home/site/wwwroot/");
        Assert.Contains(dockerfile.Stages, s => s.Image == $"mcr.microsoft.com/dotnet/sdk:{framework}");
    }

    [Fact]
    public void WorkerImage_StartsTheWorkerAssembly()
    {
        var dockerfile = Load("worker.Dockerfile");
        var project = XDocument.Load(Repository.Path("src", "DeepSeek.Worker", "DeepSeek.Worker.csproj"));
        var assembly = project.Descendants("AssemblyName").Select(e => e.Value).SingleOrDefault() ?? "DeepSeek.Worker";

        Assert.Equal(["dotnet", assembly + ".dll"], dockerfile.Entrypoint);
        Assert.Equal($"mcr.microsoft.com/dotnet/aspnet:{TargetFramework()}", dockerfile.Stages[^1].Image);
        Assert.Contains(dockerfile.Runs, r => r.Contains("src/DeepSeek.Worker/DeepSeek.Worker.csproj", StringComparison.Ordinal));
    }

    [Fact]
    public void Compose_RunsAzuriteAndTheWorker_WithoutAKey()
    {
        var compose = Yaml.Documents(Repository.Path("infra", "compose.yaml")).Single();

        Assert.NotNull(compose.At("services", "azurite"));
        var dockerfile = compose.Text("services", "worker", "build", "dockerfile")!;
        var context = compose.Text("services", "worker", "build", "context")!;
        Assert.True(File.Exists(Path.Combine(Repository.Path("infra"), context, dockerfile)), dockerfile);
        Assert.StartsWith("UseDevelopmentStorage=true;", compose.Text("services", "worker", "environment", "AzureWebJobsStorage"), StringComparison.Ordinal);
    }

    private static Dockerfile Load(string name) => Dockerfile.Load(Repository.Path("infra", "docker", name));

    /// <summary>The .NET version of the projects (net10.0 gives 10.0), which the base image tags must carry.</summary>
    private static string TargetFramework() =>
        XDocument.Load(Repository.Path("Directory.Build.props")).Descendants("TargetFramework").Single().Value["net".Length..];

    [GeneratedRegex(@"(?:dotnet publish|--project) (\S+\.csproj)")]
    private static partial Regex ProjectArgument();
}
