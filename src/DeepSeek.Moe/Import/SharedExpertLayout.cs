namespace DeepSeek.Moe.Import;

/// <summary>The shared expert of an MoE layer, which runs on every row.</summary>
/// <param name="Names">The projection tensors.</param>
/// <param name="Width">The hidden width.</param>
/// <param name="GateVector">Qwen's <c>shared_expert_gate.weight</c> <c>[1, hidden]</c> scaling the output by a sigmoid, or null.</param>
internal sealed record SharedExpertLayout(SwiGluTensorNames Names, int Width, string? GateVector);
