using System.CommandLine;
using DeepSeek.Moe.Import;

namespace DeepSeek.Cli.Commands;

/// <summary><c>deepseek model import</c>: one MoE layer of a Hugging Face checkpoint folder into a bundle.</summary>
internal static class ImportCommand
{
    public static Command Create(CliConsole console)
    {
        var hf = new Option<DirectoryInfo>("--hf") { Description = "The checkpoint folder (config.json + model.safetensors or model.safetensors.index.json shards).", Required = true };
        var layer = new Option<int>("--layer") { Description = "The decoder layer whose MoE block to import.", Required = true };
        var outDir = new Option<DirectoryInfo>("--out") { Description = "The bundle folder to create (must be empty or absent).", Required = true };
        var id = new Option<string?>("--id") { Description = "The model id (default: {model_type}-layer{N})." };
        var shards = new Option<int>("--shards") { Description = "Expert queue shards (expert i serves shard i mod shards).", DefaultValueFactory = _ => 4 };
        var command = new Command("import", $"Import one MoE layer ({string.Join(", ", HfImporter.SupportedModelTypes)}) as a bundle.") { hf, layer, outDir, id, shards };
        command.SetAction(p => console.Guard(() =>
        {
            var bundle = HfImporter.Import(p.GetValue(hf)!.FullName, p.GetValue(layer), p.GetValue(outDir)!.FullName, p.GetValue(id), p.GetValue(shards));
            var m = bundle.Manifest;
            console.Out.WriteLine($"Imported '{m.Id}' version {m.Version} to {bundle.Directory}");
            console.Out.WriteLine($"  {m.Source}");
            console.Out.WriteLine($"  {m.Experts.Count} routed + {m.SharedExperts.Count} shared experts, top-{m.Routing.TopK} {m.Routing.Scoring}, d_model {m.DModel}, {ModelCommand.BundleSize(bundle) / 1e6:F1} MB");
            return 0;
        }));
        return command;
    }
}
