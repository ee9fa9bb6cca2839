using System.Text.Json.Nodes;

namespace DeepSeek.Moe.Tests.Import;

/// <summary>A small Hugging Face checkpoint built in memory and written as config.json plus one or more safetensors files.</summary>
internal sealed class FakeCheckpoint(int seed)
{
    private readonly Random _rng = new(seed);
    private readonly List<FakeTensor> _tensors = [];

    public JsonObject Config { get; } = [];

    /// <summary>Gets the tensor values as stored (after <see cref="Write"/>, rounded to the dtype written).</summary>
    public float[] this[string name] => Tensor(name).Values;

    public FakeTensor Tensor(string name) => _tensors.Single(t => t.Name == name);

    public bool Has(string name) => _tensors.Any(t => t.Name == name);

    /// <summary>Adds a tensor of Gaussian values N(0, sigma^2).</summary>
    public void Add(string name, long[] shape, double sigma)
    {
        var values = new float[shape.Aggregate(1L, (a, d) => a * d)];
        for (int i = 0; i < values.Length; i++)
        {
            double u1 = 1.0 - _rng.NextDouble(), u2 = _rng.NextDouble();
            values[i] = (float)(Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2) * sigma);
        }

        _tensors.Add(new FakeTensor(name, shape, values));
    }

    /// <summary>Adds an <c>nn.Linear</c> weight <c>[outputs, inputs]</c> scaled so outputs have roughly unit variance.</summary>
    public void AddLinear(string name, int outputs, int inputs) => Add(name, [outputs, inputs], 1.0 / Math.Sqrt(inputs));

    public void AddSwiGlu(string prefix, string gate, string up, string down, int hidden, int width)
    {
        AddLinear(prefix + gate, width, hidden);
        AddLinear(prefix + up, width, hidden);
        AddLinear(prefix + down, hidden, width);
    }

    public void Remove(string name) => _tensors.Remove(Tensor(name));

    /// <summary>Writes the checkpoint: <c>model.safetensors</c>, or round-robin shards plus <c>model.safetensors.index.json</c>.</summary>
    /// <param name="directory">The folder (created).</param>
    /// <param name="dtype">F32, F16 or BF16 for every tensor whose dtype was not set to something else.</param>
    /// <param name="shards">The number of files.</param>
    /// <returns>The folder.</returns>
    public string Write(string directory, string dtype = "F32", int shards = 1)
    {
        Directory.CreateDirectory(directory);
        foreach (var t in _tensors.Where(t => t.RawBytes is null))
        {
            t.DType = t.DType == "F32" ? dtype : t.DType;
            t.Values = [.. t.Values.Select(v => SafetensorsWriter.Round(v, t.DType))];
        }

        File.WriteAllText(Path.Combine(directory, "config.json"), Config.ToJsonString());
        if (shards == 1)
        {
            SafetensorsWriter.Write(Path.Combine(directory, "model.safetensors"), _tensors);
            return directory;
        }

        var map = new JsonObject();
        for (int s = 0; s < shards; s++)
        {
            var file = $"model-{s + 1:D5}-of-{shards:D5}.safetensors";
            var members = _tensors.Where((_, i) => i % shards == s).ToList();
            SafetensorsWriter.Write(Path.Combine(directory, file), members);
            members.ForEach(t => map[t.Name] = file);
        }

        var index = new JsonObject { ["metadata"] = new JsonObject { ["total_size"] = 0 }, ["weight_map"] = map };
        File.WriteAllText(Path.Combine(directory, "model.safetensors.index.json"), index.ToJsonString());
        return directory;
    }
}
