using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace DeepSeek.Moe.Experts;

/// <summary>An ONNX Runtime session over one bundle file, created once and reused; inputs and outputs are bound to the caller's memory without copies.</summary>
public sealed class OnnxExpertKernel : IExpertKernel
{
    private readonly InferenceSession _session;
    private readonly string[] _inputNames;
    private readonly string[] _outputNames;
    private readonly RunOptions _runOptions = new();

    /// <summary>Initializes a kernel.</summary>
    /// <param name="session">The session (owned by the kernel from now on).</param>
    /// <param name="inputName">The graph input name.</param>
    /// <param name="outputName">The graph output name.</param>
    /// <param name="inputWidth">The input row width.</param>
    /// <param name="outputWidth">The output row width.</param>
    public OnnxExpertKernel(InferenceSession session, string inputName, string outputName, int inputWidth, int outputWidth)
    {
        ArgumentNullException.ThrowIfNull(session);
        _session = session;
        _inputNames = [inputName];
        _outputNames = [outputName];
        InputWidth = inputWidth;
        OutputWidth = outputWidth;
    }

    /// <inheritdoc/>
    public int InputWidth { get; }

    /// <inheritdoc/>
    public int OutputWidth { get; }

    /// <inheritdoc/>
    public unsafe void Run(ReadOnlySpan<float> x, int rows, Span<float> y)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(rows);
        if (rows == 0)
        {
            return;
        }

        long inLength = (long)rows * InputWidth, outLength = (long)rows * OutputWidth;
        ArgumentOutOfRangeException.ThrowIfLessThan(x.Length, inLength, nameof(x));
        ArgumentOutOfRangeException.ThrowIfLessThan(y.Length, outLength, nameof(y));
        fixed (float* px = x)
        fixed (float* py = y)
        {
            using var input = OrtValue.CreateTensorValueWithData(OrtMemoryInfo.DefaultInstance, TensorElementType.Float,
                [rows, InputWidth], (IntPtr)px, inLength * sizeof(float));
            using var output = OrtValue.CreateTensorValueWithData(OrtMemoryInfo.DefaultInstance, TensorElementType.Float,
                [rows, OutputWidth], (IntPtr)py, outLength * sizeof(float));
            _session.Run(_runOptions, _inputNames, [input], _outputNames, [output]);
        }
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        _runOptions.Dispose();
        _session.Dispose();
    }
}
