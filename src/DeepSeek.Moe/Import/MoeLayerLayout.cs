using DeepSeek.Moe.Bundles;

namespace DeepSeek.Moe.Import;

/// <summary>Where one MoE layer's tensors live in a checkpoint and how its router behaves, independent of the architecture.</summary>
internal sealed record MoeLayerLayout
{
    /// <summary>Gets the Hugging Face <c>model_type</c>.</summary>
    public required string ModelType { get; init; }

    /// <summary>Gets the decoder layer index.</summary>
    public required int Layer { get; init; }

    /// <summary>Gets the model width (<c>hidden_size</c>).</summary>
    public required int Hidden { get; init; }

    /// <summary>Gets the hidden width of a routed expert.</summary>
    public required int ExpertWidth { get; init; }

    /// <summary>Gets the router weight <c>[experts, hidden]</c>.</summary>
    public required string Router { get; init; }

    /// <summary>Gets the selection-only bias <c>[experts]</c> (DeepSeek-V3), or null.</summary>
    public string? CorrectionBias { get; init; }

    /// <summary>Gets the routed experts, in index order.</summary>
    public required IReadOnlyList<SwiGluTensorNames> Experts { get; init; }

    /// <summary>Gets the shared expert, or null.</summary>
    public SharedExpertLayout? Shared { get; init; }

    /// <summary>Gets the routing, without the correction bias values (those are tensors).</summary>
    public required RoutingSettings Routing { get; init; }

    /// <summary>Checks the sizes and routing the config gives before anything is read or written.</summary>
    /// <exception cref="ImportException">A size is not positive or the routing cannot work for this expert count.</exception>
    public void Validate()
    {
        int e = Experts.Count;
        var r = Routing;
        string? problem =
            Hidden < 1 ? $"hidden_size is {Hidden}, must be positive"
            : ExpertWidth < 1 ? $"the expert width is {ExpertWidth}, must be positive"
            : e < 1 ? $"the number of routed experts is {e}, must be positive"
            : r.TopK < 1 || r.TopK > e ? $"num_experts_per_tok is {r.TopK}, must be between 1 and the number of experts ({e})"
            : r.NGroup < 1 || e % r.NGroup != 0 ? $"n_group is {r.NGroup}, must be positive and divide the number of experts ({e})"
            : r.TopkGroup < 1 || r.TopkGroup > r.NGroup ? $"topk_group is {r.TopkGroup}, must be between 1 and n_group ({r.NGroup})"
            : r.TopK > r.TopkGroup * (e / r.NGroup) ? $"num_experts_per_tok is {r.TopK}, but topk_group {r.TopkGroup} groups of {e / r.NGroup} experts offer only {r.TopkGroup * (e / r.NGroup)}"
            : r.NGroup > 1 && r.GroupScore == GroupScoring.Top2Sum && e / r.NGroup < 2 ? "noaux_tc group scoring needs at least two experts per group"
            : !float.IsFinite(r.RoutedScalingFactor) || r.RoutedScalingFactor <= 0 ? $"routed_scaling_factor is {r.RoutedScalingFactor}, must be finite and positive"
            : Shared is { Width: < 1 } s ? $"the shared expert width is {s.Width}, must be positive"
            : null;
        if (problem is not null)
        {
            throw new ImportException($"config.json of this {ModelType} checkpoint: {problem}");
        }
    }

    /// <summary>Lists every tensor the import reads, with its expected shape.</summary>
    public IEnumerable<(string Name, long[] Shape)> Tensors()
    {
        int e = Experts.Count;
        yield return (Router, [e, Hidden]);
        if (CorrectionBias is not null)
        {
            yield return (CorrectionBias, [e]);
        }

        foreach (var names in Experts)
        {
            foreach (var t in Projections(names, ExpertWidth))
            {
                yield return t;
            }
        }

        if (Shared is { } s)
        {
            foreach (var t in Projections(s.Names, s.Width))
            {
                yield return t;
            }

            if (s.GateVector is not null)
            {
                yield return (s.GateVector, [1, Hidden]);
            }
        }
    }

    private IEnumerable<(string, long[])> Projections(SwiGluTensorNames names, int width) =>
        [(names.Gate, [width, Hidden]), (names.Up, [width, Hidden]), (names.Down, [Hidden, width])];
}
