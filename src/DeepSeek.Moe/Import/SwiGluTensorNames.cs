namespace DeepSeek.Moe.Import;

/// <summary>The Hugging Face names of one SwiGLU expert's projections, each an <c>nn.Linear</c> weight <c>[out, in]</c>.</summary>
/// <param name="Gate">The gate projection <c>[width, hidden]</c> (Mixtral <c>w1</c>).</param>
/// <param name="Up">The up projection <c>[width, hidden]</c> (Mixtral <c>w3</c>).</param>
/// <param name="Down">The down projection <c>[hidden, width]</c> (Mixtral <c>w2</c>).</param>
internal sealed record SwiGluTensorNames(string Gate, string Up, string Down)
{
    /// <summary>Names <c>{prefix}gate_proj.weight</c>, <c>up_proj</c> and <c>down_proj</c> (DeepSeek and Qwen).</summary>
    public static SwiGluTensorNames Projections(string prefix) =>
        new($"{prefix}gate_proj.weight", $"{prefix}up_proj.weight", $"{prefix}down_proj.weight");
}
