namespace DeepSeek.Moe.Experts;

/// <summary>Something that runs one expert (or the gate) on a batch of rows. Implementations are thread-safe.</summary>
public interface IExpertKernel : IDisposable
{
    /// <summary>Gets the input row width.</summary>
    int InputWidth { get; }

    /// <summary>Gets the output row width.</summary>
    int OutputWidth { get; }

    /// <summary>Runs the model on <paramref name="rows"/> rows.</summary>
    /// <param name="x">Row-major <c>[rows, InputWidth]</c>.</param>
    /// <param name="rows">The number of rows; 0 does nothing.</param>
    /// <param name="y">Row-major <c>[rows, OutputWidth]</c>, overwritten.</param>
    void Run(ReadOnlySpan<float> x, int rows, Span<float> y);
}
