using DeepSeek.Moe.Routing;

namespace DeepSeek.Moe.Engine;

/// <summary>The result of a forward pass.</summary>
/// <param name="Outputs">Row-major <c>[rows, d_out]</c>.</param>
/// <param name="Rows">The number of rows.</param>
/// <param name="Width">The output width (d_out).</param>
/// <param name="Routing">The routing that produced it.</param>
public sealed record MoeOutput(float[] Outputs, int Rows, int Width, RoutingResult Routing)
{
    /// <summary>Gets one output row.</summary>
    /// <param name="row">The row.</param>
    /// <returns>Its values.</returns>
    public ReadOnlySpan<float> Row(int row) => Outputs.AsSpan(row * Width, Width);
}
