using System.Text.Json;
using DeepSeek.Pipeline.Tests;

namespace DeepSeek.Functions.Tests;

/// <summary>Seeded input rows for the harness's demo model and the infer body that carries them.</summary>
internal static class Inputs
{
    public static float[][] Rows(int rows, int seed)
    {
        var rng = new Random(seed);
        return [.. Enumerable.Range(0, rows).Select(_ => Enumerable.Range(0, PipelineHarness.DModel).Select(_ => (float)(rng.NextDouble() * 2 - 1)).ToArray())];
    }

    public static string InferBody(float[][] rows, ulong seed) =>
        JsonSerializer.Serialize(new { model = "demo", inputs = rows, options = new { seed } });
}
