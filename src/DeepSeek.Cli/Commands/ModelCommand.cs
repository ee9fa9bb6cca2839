using System.CommandLine;
using System.Globalization;
using DeepSeek.Moe.Bundles;
using DeepSeek.Moe.Demo;

namespace DeepSeek.Cli.Commands;

/// <summary><c>deepseek model init|import|inspect|quantize</c>.</summary>
internal static class ModelCommand
{
    public static Command Create(CliConsole console)
    {
        var model = new Command("model", "Create, import, inspect and quantize model bundles.");
        model.Add(Init(console));
        model.Add(ImportCommand.Create(console));
        model.Add(Inspect(console));
        model.Add(QuantizeCommand.Create(console));
        return model;
    }

    private static Command Init(CliConsole console)
    {
        var outDir = new Option<DirectoryInfo>("--out") { Description = "The bundle folder to create (must be empty or absent).", Required = true };
        var id = new Option<string>("--id") { Description = "The model id.", DefaultValueFactory = _ => "demo" };
        var experts = new Option<int>("--experts") { Description = "Routed experts.", DefaultValueFactory = _ => 16 };
        var topK = new Option<int>("--top-k") { Description = "Experts per row.", DefaultValueFactory = _ => 2 };
        var dModel = new Option<int>("--d-model") { Description = "Model width.", DefaultValueFactory = _ => 256 };
        var dFf = new Option<int>("--d-ff") { Description = "Expert hidden width.", DefaultValueFactory = _ => 1024 };
        var seed = new Option<int>("--seed") { Description = "Weight seed.", DefaultValueFactory = _ => 42 };
        var shards = new Option<int>("--shards") { Description = "Expert queue shards (expert i serves shard i mod shards).", DefaultValueFactory = _ => 4 };
        var kind = new Option<string>("--kind") { Description = "Expert architecture: linear-layernorm-gelu (the demo) or swiglu (Mixtral-style).", DefaultValueFactory = _ => ExpertKinds.LinearLayerNormGelu };
        kind.AcceptOnlyFromAmong(ExpertKinds.LinearLayerNormGelu, ExpertKinds.SwiGlu);
        var command = new Command("init", "Write a seeded demo bundle: 16 experts, top-2, Gumbel softmax at temperature 0.1.")
        {
            outDir, id, experts, topK, dModel, dFf, seed, shards, kind,
        };
        command.SetAction(p => console.Guard(() =>
        {
            var options = new DemoBundleOptions
            {
                Id = p.GetValue(id)!,
                Experts = p.GetValue(experts),
                TopK = p.GetValue(topK),
                DModel = p.GetValue(dModel),
                DFf = p.GetValue(dFf),
                Seed = p.GetValue(seed),
                Shards = p.GetValue(shards),
                ExpertKind = p.GetValue(kind)!,
            };
            var bundle = DemoBundle.Create(p.GetValue(outDir)!.FullName, options);
            console.Out.WriteLine($"Wrote bundle '{bundle.Manifest.Id}' version {bundle.Manifest.Version} to {bundle.Directory}");
            console.Out.WriteLine($"  {bundle.ExpertCount} experts, top-{bundle.Manifest.Routing.TopK}, d_model {bundle.Manifest.DModel}, {BundleSize(bundle) / 1e6:F1} MB");
            return 0;
        }));
        return command;
    }

    private static Command Inspect(CliConsole console)
    {
        var dir = new Argument<DirectoryInfo>("bundle") { Description = "The bundle folder." };
        var command = new Command("inspect", "Validate a bundle (checksums, ONNX signatures, routing) and summarize it.") { dir };
        command.SetAction(p => console.Guard(() =>
        {
            var bundle = ModelBundle.Load(p.GetValue(dir)!.FullName);
            InspectWriter.Write(console.Out, bundle, BundleSize(bundle));
            return 0;
        }));
        return command;
    }

    internal static long BundleSize(ModelBundle bundle) => bundle.SizeOnDisk();

    internal static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
