using DeepSeek.Moe.Engine;
using DeepSeek.Moe.Routing;
using DeepSeek.Pipeline.Models;
using DeepSeek.Pipeline.Requests;
using DeepSeek.Pipeline.Storage;
using Microsoft.Extensions.Logging;

namespace DeepSeek.Pipeline.Stages;

/// <summary>
/// Fan-in: when every activated expert's partial of a request is stored, combines them exactly as the
/// in-process engine does, then records the outcome (result, audit, job progress) create-if-absent, so
/// racing aggregators produce one result.
/// </summary>
public sealed class AggregateStage(PipelineStorage storage, ModelRegistry models, OutcomeWriter outcomes, StageFailures failures, TimeProvider time, ILogger<AggregateStage> logger)
{
    /// <summary>Handles one aggregate message.</summary>
    /// <param name="message">The message text.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task.</returns>
    public async Task HandleAsync(string message, CancellationToken cancellationToken)
    {
        var done = MessageJson.Read(message, PipelineJsonContext.Default.AggregateMessage);
        await failures.RunAsync(nameof(AggregateStage), done.RequestId, () => AggregateAsync(done.RequestId, cancellationToken), cancellationToken).ConfigureAwait(false);
    }

    private async Task AggregateAsync(string requestId, CancellationToken ct)
    {
        var state = storage.Layout.StateContainer;
        var planData = await storage.TryReadAsync(state, StorageLayout.PlanBlob(requestId), ct).ConfigureAwait(false)
            ?? throw new InvalidDataException($"Request {requestId} has no routing plan, yet an expert reported a partial.");
        var plan = MessageJson.Read(planData.ToString(), PipelineJsonContext.Default.RoutingPlan);

        var present = await storage.ListAsync(state, StorageLayout.PartialPrefix(requestId), ct).ConfigureAwait(false);
        if (present.Count < plan.Activated.Length)
        {
            PipelineLog.AggregateWaiting(logger, requestId, present.Count, plan.Activated.Length);
            return;
        }

        // Late aggregate messages of a finished request stop here: the outcome's last write is already stored.
        if (await outcomes.IsRecordedAsync(plan.Request, ct).ConfigureAwait(false))
        {
            return;
        }

        var partials = new Dictionary<int, float[]>();
        foreach (var expert in plan.Activated)
        {
            var data = await storage.TryReadAsync(state, StorageLayout.PartialBlob(requestId, expert.Expert), ct).ConfigureAwait(false)
                ?? throw new InvalidDataException($"Request {requestId}: the partial of expert {expert.Expert} is listed but cannot be read.");
            partials[expert.Expert] = FloatPayload.FromBytes(data.ToMemory().Span);
        }

        var result = Combine(plan, partials);
        var (stored, created) = await outcomes.WriteAsync(result, plan.Request, plan, ct).ConfigureAwait(false);
        PipelineLog.Aggregated(logger, requestId, stored.Status, created ? "created" : "already present");
    }

    private InferenceResult Combine(RoutingPlan plan, Dictionary<int, float[]> partials)
    {
        var engine = models.Engine(plan.Model);
        int rows = plan.Request.Rows, k = plan.Experts.Length == 0 ? 0 : plan.Experts[0].Length, dOut = engine.DOut;

        // Where each row sits inside each expert's partial.
        var position = new Dictionary<(int Expert, int Row), int>();
        foreach (var expert in plan.Activated)
        {
            for (int i = 0; i < expert.Rows.Length; i++)
            {
                position[(expert.Expert, expert.Rows[i])] = i;
            }
        }

        var slots = new float[rows * k * dOut];
        for (int r = 0; r < rows; r++)
        {
            for (int i = 0; i < k; i++)
            {
                int e = plan.Experts[r][i];
                partials[e].AsSpan(position[(e, r)] * dOut, dOut).CopyTo(slots.AsSpan((r * k + i) * dOut));
            }
        }

        var routing = RoutingResult.FromPlan(rows, k, engine.ExpertCount, plan.Request.Seed, plan.Experts, plan.Weights);
        var output = new float[rows * dOut];
        MoeEngine.Combine(routing, slots, output, dOut);
        for (int s = 0; s < engine.SharedExpertCount; s++)
        {
            System.Numerics.Tensors.TensorPrimitives.Add(output, partials[engine.ExpertCount + s], output);
        }

        return new InferenceResult
        {
            RequestId = plan.Request.RequestId,
            Status = RequestStatus.Succeeded,
            Model = plan.Model,
            Seed = plan.Request.Seed,
            Outputs = [.. Enumerable.Range(0, rows).Select(r => output.AsSpan(r * dOut, dOut).ToArray())],
            Routing = [.. Enumerable.Range(0, rows).Select(r => new RowRouting(plan.Experts[r], plan.Weights[r]))],
            JobId = plan.Request.JobId,
            Chunk = plan.Request.Chunk,
            CompletedAt = time.GetUtcNow(),
        };
    }
}
