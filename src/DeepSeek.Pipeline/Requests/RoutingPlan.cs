using DeepSeek.Pipeline.Messages;

namespace DeepSeek.Pipeline.Requests;

/// <summary>The gate's decision for a request, written create-if-absent to <c>state/{id}/plan.json</c>; redelivery reuses it, routing is never redrawn.</summary>
public sealed record RoutingPlan
{
    /// <summary>Gets the request.</summary>
    public required RequestRecord Request { get; init; }

    /// <summary>Gets the model version routed with.</summary>
    public required ModelRef Model { get; init; }

    /// <summary>Gets the chosen experts per row, best first.</summary>
    public required int[][] Experts { get; init; }

    /// <summary>Gets the weights per row, in the order of <see cref="Experts"/>.</summary>
    public required float[][] Weights { get; init; }

    /// <summary>Gets the activated experts (routed, then shared as experts + s) with their rows.</summary>
    public required PlannedExpert[] Activated { get; init; }

    /// <summary>Gets when the gate made the plan.</summary>
    public required DateTimeOffset PlannedAt { get; init; }
}
