using DeepSeek.Moe.Batching;
using DeepSeek.Moe.Engine;
using DeepSeek.Moe.Experts;

namespace DeepSeek.Moe.Tests.Batching;

public sealed class MicroBatcherTests(DemoBundleFixture demo) : IClassFixture<DemoBundleFixture>
{
    // Batched and single-row ONNX Runtime MatMuls may block the sums differently: outputs agree to float rounding.
    private const double Tolerance = 1e-5;

    [Fact]
    public async Task ConcurrentCallers_EachGetTheirOwnRowsAsIfRunAlone_AndShareKernelRuns()
    {
        using var engine = MoeEngine.CreateOnnx(demo.Bundle);
        var kernel = engine.ExpertKernel(3);
        var batcher = new MicroBatcher(kernel, new BatchingOptions { MaxRows = 64, MaxDelay = TimeSpan.FromMilliseconds(20) });
        int d = engine.DModel;
        var inputs = Enumerable.Range(0, 64).Select(i => TestData.Gaussian((1 + (i % 3)) * d, seed: 100 + i)).ToArray();

        var outputs = await Task.WhenAll(inputs.Select(x => Task.Run(() => batcher.RunAsync(x, x.Length / d, CancellationToken.None))));

        for (int i = 0; i < inputs.Length; i++)
        {
            int rows = inputs[i].Length / d;
            var alone = new float[rows * engine.DOut];
            kernel.Run(inputs[i], rows, alone);
            Assert.Equal(alone.Length, outputs[i].Length);
            Assert.True(TestData.MaxAbsDiff(alone, outputs[i]) <= Tolerance, $"caller {i}");
        }

        var (calls, runs) = batcher.Counts;
        Assert.Equal(64, calls);
        Assert.True(runs < calls / 4, $"{calls} calls ran as {runs} kernel calls: not coalesced");
    }

    [Fact]
    public async Task Batches_NeverExceedMaxRows_ExceptASingleLargerCall()
    {
        var kernel = new RecordingKernel(width: 4);
        var batcher = new MicroBatcher(kernel, new BatchingOptions { MaxRows = 8, MaxDelay = TimeSpan.FromMilliseconds(20) });
        var calls = Enumerable.Range(0, 40).Select(i => batcher.RunAsync(Row(4, i), 1, CancellationToken.None)).ToList();
        calls.Add(batcher.RunAsync(new float[12 * 4], 12, CancellationToken.None));

        await Task.WhenAll(calls);

        Assert.All(kernel.BatchRows.Where(r => r != 12), r => Assert.InRange(r, 1, 8));
        Assert.Contains(12, kernel.BatchRows);
        for (int i = 0; i < 40; i++)
        {
            Assert.Equal(Row(4, i).Select(v => v * 2), (await calls[i]).AsEnumerable());
        }
    }

    [Fact]
    public async Task FailingRows_FailOnlyTheirCaller()
    {
        var kernel = new RecordingKernel(width: 2, failOn: -1f);
        var batcher = new MicroBatcher(kernel, new BatchingOptions { MaxRows = 64, MaxDelay = TimeSpan.FromMilliseconds(20) });
        var good1 = batcher.RunAsync([1f, 2f], 1, CancellationToken.None);
        var bad = batcher.RunAsync([-1f, 5f], 1, CancellationToken.None);
        var good2 = batcher.RunAsync([3f, 4f], 1, CancellationToken.None);

        Assert.Equal(new float[] { 2f, 4f }, await good1);
        Assert.Equal(new float[] { 6f, 8f }, await good2);
        var e = await Assert.ThrowsAsync<InvalidOperationException>(() => bad);
        Assert.Contains("-1", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CancelledCaller_IsDroppedBeforeItsBatchRuns_OthersComplete()
    {
        var kernel = new RecordingKernel(width: 2) { Hold = new ManualResetEventSlim(false) };
        var batcher = new MicroBatcher(kernel, new BatchingOptions { MaxRows = 64, MaxDelay = TimeSpan.Zero });
        var first = batcher.RunAsync([1f, 1f], 1, CancellationToken.None);
        Assert.True(SpinWait.SpinUntil(() => kernel.Running, TimeSpan.FromSeconds(10)), "the first batch did not start");
        using var cts = new CancellationTokenSource();
        var cancelled = batcher.RunAsync([7f, 7f], 1, cts.Token);
        var kept = batcher.RunAsync([3f, 3f], 1, CancellationToken.None);

        await cts.CancelAsync();
        kernel.Hold.Set();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelled);
        Assert.Equal(new float[] { 2f, 2f }, await first);
        Assert.Equal(new float[] { 6f, 6f }, await kept);
        Assert.DoesNotContain(kernel.Inputs, v => v == 7f);
    }

    [Fact]
    public void ClosedLoopCallers_RejoinTheNextBatch_WithoutWaitingOutTheDelay()
    {
        // 32 callers, each a thread that blocks for its answer and sends its next row at once (as the benchmark's
        // and many clients do). The first batch waits out the delay (nothing to go by yet); after that a batch goes
        // the moment its callers are back. Callers that come back while the batch is still being answered must
        // count as coming back, not as extra rows to wait for.
        const int Callers = 32, Rounds = 4;
        var kernel = new RecordingKernel(width: 4);
        var delay = TimeSpan.FromSeconds(1);
        var batcher = new MicroBatcher(kernel, new BatchingOptions { MaxRows = 256, MaxDelay = delay });
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var wrong = new System.Collections.Concurrent.ConcurrentBag<int>();

        var threads = Enumerable.Range(0, Callers).Select(c => new Thread(() =>
        {
            for (int round = 0; round < Rounds; round++)
            {
                var y = batcher.RunAsync(Row(4, c), 1, CancellationToken.None).GetAwaiter().GetResult();
                if (!y.SequenceEqual(Row(4, c).Select(v => v * 2)))
                {
                    wrong.Add(c);
                }
            }
        })).ToList();
        threads.ForEach(t => t.Start());
        threads.ForEach(t => t.Join());

        Assert.Empty(wrong);
        Assert.Equal(Callers * Rounds, kernel.BatchRows.Sum());
        Assert.True(clock.Elapsed < 2 * delay, $"{Rounds} rounds took {clock.Elapsed.TotalSeconds:F1} s in batches of [{string.Join(", ", kernel.BatchRows)}] rows: a batch after the first waited out the {delay.TotalSeconds:F0} s delay");
    }

    [Fact]
    public void WrongInputLength_IsRejectedAtTheCall()
    {
        var batcher = new MicroBatcher(new RecordingKernel(width: 4), new BatchingOptions());
        var e = Assert.Throws<ArgumentException>(() => { _ = batcher.RunAsync(new float[6], 2, CancellationToken.None); });
        Assert.Contains("2 x 4", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0, 1)]
    [InlineData(8, -1)]
    public void BadOptions_NameTheSetting(int maxRows, int delayMs)
    {
        var options = new BatchingOptions { MaxRows = maxRows, MaxDelay = TimeSpan.FromMilliseconds(delayMs) };
        var e = Assert.Throws<ArgumentOutOfRangeException>(options.Validate);
        Assert.Contains(maxRows < 1 ? "MaxRows" : "MaxDelay", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task BatchingEngine_ForwardOfConcurrentCallers_EqualsTheEngineAlone(bool layer)
    {
        using var engine = MoeEngine.CreateOnnx(demo.Bundle);
        var batching = new BatchingEngine(engine, new BatchingOptions { MaxRows = 256, MaxDelay = TimeSpan.FromMilliseconds(5), MaxConcurrentRuns = 2 });
        int d = engine.DModel;
        var inputs = Enumerable.Range(0, 32).Select(i => TestData.Gaussian((1 + (i % 3)) * d, seed: 500 + i)).ToArray();

        var outputs = await Task.WhenAll(inputs.Select((x, i) => Task.Run(() => layer
            ? batching.ForwardAsync(x, x.Length / d, (ulong)i, CancellationToken.None)
            : batching.ForwardPerKernelAsync(x, x.Length / d, (ulong)i, CancellationToken.None))));

        for (int i = 0; i < inputs.Length; i++)
        {
            var alone = engine.Forward(inputs[i], inputs[i].Length / d, (ulong)i);
            Assert.Equal(alone.Rows, outputs[i].Rows);
            Assert.Equal(alone.Routing.Indices, outputs[i].Routing.Indices);
            Assert.Equal(alone.Routing.Weights, outputs[i].Routing.Weights);
            Assert.Equal((ulong)i, outputs[i].Routing.Seed);
            Assert.True(TestData.MaxAbsDiff(alone.Outputs, outputs[i].Outputs) <= Tolerance, $"caller {i}");
        }

        var (calls, runs) = layer ? batching.LayerCounts : batching.Counts;
        Assert.True(runs < calls, $"{calls} calls ran as {runs}: nothing was coalesced");
    }

    [Fact]
    public async Task LayerBatcher_CancelledCaller_IsCancelled_OthersAnswered()
    {
        using var engine = MoeEngine.CreateOnnx(demo.Bundle);
        // The longest delay, and a cancellation that completes the call at once, so a loaded machine cannot let the
        // batch go before the caller is cancelled.
        var batcher = new LayerBatcher(engine, new BatchingOptions { MaxDelay = TimeSpan.FromSeconds(1) });
        int d = engine.DModel;
        using var cts = new CancellationTokenSource();
        var kept = batcher.RunAsync(TestData.Gaussian(d, seed: 1), 1, 7, CancellationToken.None);
        var cancelled = batcher.RunAsync(TestData.Gaussian(d, seed: 2), 1, 8, cts.Token);
        cts.Cancel();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelled);
        var answer = await kept;
        Assert.True(TestData.MaxAbsDiff(engine.Forward(TestData.Gaussian(d, seed: 1), 1, 7).Outputs, answer.Outputs) <= Tolerance);
        Assert.Throws<ArgumentException>(() => { _ = batcher.RunAsync(new float[d + 1], 1, 0, CancellationToken.None); });
    }

    [Fact]
    public void ForwardRouted_RejectsARoutingOfOtherRows()
    {
        using var engine = MoeEngine.CreateOnnx(demo.Bundle);
        int d = engine.DModel;
        var x = TestData.Gaussian(3 * d, seed: 3);
        var routing = engine.Route(x, 2, 0);

        var e = Assert.Throws<ArgumentException>(() => engine.ForwardRouted(x, 3, routing, parallelism: 2));
        Assert.Contains("2 rows", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BatchThread_DoesNotCarryTheFirstCallersExecutionContext()
    {
        var kernel = new RecordingKernel(width: 2);
        var batcher = new MicroBatcher(kernel, new BatchingOptions { MaxDelay = TimeSpan.Zero });
        CallerContext.Value = "request-of-tenant-a";
        try
        {
            await batcher.RunAsync([1f, 2f], 1, CancellationToken.None);
        }
        finally
        {
            CallerContext.Value = null;
        }

        Assert.Equal([null], kernel.CallerContexts);
    }

    private static readonly AsyncLocal<string?> CallerContext = new();

    private static float[] Row(int width, int i) => [.. Enumerable.Range(0, width).Select(j => (float)(i * width + j))];

    // Doubles its input; throws on a row holding failOn; optionally blocks until released. For the batcher's
    // own contract (row limits, failure and cancellation per caller), which no real kernel can be made to show.
    private sealed class RecordingKernel(int width, float? failOn = null) : IExpertKernel
    {
        private readonly Lock _lock = new();

        public ManualResetEventSlim? Hold { get; init; }

        private volatile bool _running;

        public bool Running => _running;

        public List<int> BatchRows { get; } = [];

        public List<float> Inputs { get; } = [];

        public List<string?> CallerContexts { get; } = [];

        public int InputWidth => width;

        public int OutputWidth => width;

        public void Run(ReadOnlySpan<float> x, int rows, Span<float> y)
        {
            _running = true;
            Hold?.Wait(TimeSpan.FromSeconds(30));
            lock (_lock)
            {
                BatchRows.Add(rows);
                Inputs.AddRange(x.ToArray());
                CallerContexts.Add(CallerContext.Value);
            }

            if (failOn is float bad && x.Contains(bad))
            {
                throw new InvalidOperationException($"row holds {bad}");
            }

            for (int i = 0; i < rows * width; i++)
            {
                y[i] = x[i] * 2;
            }
        }

        public void Dispose()
        {
        }
    }
}
