using DeepSeek.Pipeline.Configuration;
using DeepSeek.Pipeline.Storage;

namespace DeepSeek.Deployment.Tests.Bicep;

/// <summary>The storage layout main.bicep deploys by default, as the pipeline itself names it.</summary>
internal static class Layout
{
    public static StorageLayout Of(CompiledTemplate compiled)
    {
        var prefix = (string)compiled.Evaluator!.Parameter("prefix")!;
        Assert.Equal(new PipelineOptions().Prefix, prefix);
        return new StorageLayout(prefix);
    }

    public static IReadOnlyList<int> Shards(CompiledTemplate compiled) =>
        [.. ((List<object?>)compiled.Evaluator!.Parameter("expertShards")!).Cast<Dictionary<string, object?>>().Select(s => (int)(long)s["shard"]!)];
}
