using DeepSeek.Moe.Routing;

namespace DeepSeek.Moe.Engine;

/// <summary>Groups the (row, slot) pairs of a routing by expert: a counting sort that keeps rows ascending within each expert.</summary>
public sealed class ExpertDispatch
{
    private ExpertDispatch(int[] offsets, int[] slots, int topK)
    {
        Offsets = offsets;
        Slots = slots;
        TopK = topK;
    }

    /// <summary>Gets, per expert, where its slots start in <see cref="Slots"/>; length experts + 1.</summary>
    public int[] Offsets { get; }

    /// <summary>Gets slot ids (<c>row * top_k + position</c>) grouped by expert.</summary>
    public int[] Slots { get; }

    /// <summary>Gets the number of experts per row.</summary>
    public int TopK { get; }

    /// <summary>Gets how many rows an expert received.</summary>
    /// <param name="expert">The expert.</param>
    /// <returns>The row count.</returns>
    public int CountOf(int expert) => Offsets[expert + 1] - Offsets[expert];

    /// <summary>Gets the slots routed to an expert.</summary>
    /// <param name="expert">The expert.</param>
    /// <returns>Slot ids; the row is <c>slot / TopK</c>.</returns>
    public ReadOnlySpan<int> SlotsOf(int expert) => Slots.AsSpan(Offsets[expert], CountOf(expert));

    /// <summary>Copies the input rows of an expert's slots, in slot order, into a dense <c>[slots, width]</c> buffer.</summary>
    /// <param name="expert">The expert.</param>
    /// <param name="x">Row-major <c>[rows, width]</c>.</param>
    /// <param name="width">The row width.</param>
    /// <param name="gathered">Receives <c>CountOf(expert)</c> rows.</param>
    public void Gather(int expert, ReadOnlySpan<float> x, int width, Span<float> gathered)
    {
        var slots = SlotsOf(expert);
        for (int i = 0; i < slots.Length; i++)
        {
            x.Slice(slots[i] / TopK * width, width).CopyTo(gathered.Slice(i * width, width));
        }
    }

    /// <summary>Copies an expert's outputs, row i for its i-th slot, to their slots in <c>[rows * top_k, width]</c>.</summary>
    /// <param name="expert">The expert.</param>
    /// <param name="outputs">Row-major <c>[CountOf(expert), width]</c>.</param>
    /// <param name="width">The output width.</param>
    /// <param name="slotOutputs">Row-major <c>[rows * top_k, width]</c>.</param>
    public void Scatter(int expert, ReadOnlySpan<float> outputs, int width, Span<float> slotOutputs)
    {
        var slots = SlotsOf(expert);
        for (int i = 0; i < slots.Length; i++)
        {
            outputs.Slice(i * width, width).CopyTo(slotOutputs.Slice(slots[i] * width, width));
        }
    }

    /// <summary>Groups a routing by expert.</summary>
    /// <param name="routing">The routing.</param>
    /// <returns>The dispatch.</returns>
    public static ExpertDispatch From(RoutingResult routing)
    {
        ArgumentNullException.ThrowIfNull(routing);
        var offsets = new int[routing.ExpertCount + 1];
        foreach (var e in routing.Indices)
        {
            offsets[e + 1]++;
        }

        for (int e = 0; e < routing.ExpertCount; e++)
        {
            offsets[e + 1] += offsets[e];
        }

        var next = offsets[..^1];
        var slots = new int[routing.Indices.Length];
        for (int slot = 0; slot < routing.Indices.Length; slot++)
        {
            slots[next[routing.Indices[slot]]++] = slot;
        }

        return new ExpertDispatch(offsets, slots, routing.TopK);
    }
}
