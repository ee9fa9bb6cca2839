using DeepSeek.Pipeline.Messages;
using DeepSeek.Pipeline.Models;
using DeepSeek.Pipeline.Requests;
using DeepSeek.Pipeline.Storage;
using Microsoft.Extensions.Logging;

namespace DeepSeek.Pipeline.Stages;

/// <summary>
/// Routes a request: runs the gate and router once, stores the plan create-if-absent (a redelivered
/// message reuses the stored plan, so routing is never redrawn), then sends one message per activated
/// expert to that expert's shard queue.
/// </summary>
public sealed class GateStage(PipelineStorage storage, ModelRegistry models, PayloadReader payloads, OutcomeWriter outcomes, StageFailures failures, TimeProvider time, ILogger<GateStage> logger)
{
    /// <summary>Handles one gate message.</summary>
    /// <param name="message">The message text.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task.</returns>
    public async Task HandleAsync(string message, CancellationToken cancellationToken)
    {
        var request = MessageJson.Read(message, PipelineJsonContext.Default.GateMessage).Request;
        await failures.RunAsync(nameof(GateStage), request.RequestId, () => RouteAsync(request, cancellationToken), cancellationToken).ConfigureAwait(false);
    }

    private async Task RouteAsync(RequestRecord request, CancellationToken ct)
    {
        var state = storage.Layout.StateContainer;
        var planBlob = StorageLayout.PlanBlob(request.RequestId);
        var stored = await storage.TryReadAsync(state, planBlob, ct).ConfigureAwait(false);
        float[]? x = null;
        RoutingPlan plan;
        string planState;
        if (stored is not null)
        {
            // A redelivery: if the request already finished, re-sending its expert messages would only repeat work.
            if (await outcomes.IsRecordedAsync(request, ct).ConfigureAwait(false))
            {
                PipelineLog.Routed(logger, request.RequestId, 0, "already finished");
                return;
            }

            plan = MessageJson.Read(stored.ToString(), PipelineJsonContext.Default.RoutingPlan);
            planState = "reused";
        }
        else
        {
            x = await payloads.ReadAsync(request.Payload, ct).ConfigureAwait(false);
            plan = await MakePlanAsync(request, x, ct).ConfigureAwait(false);
            bool created = await storage.TryCreateAsync(state, planBlob, MessageJson.Write(plan, PipelineJsonContext.Default.RoutingPlan), ct).ConfigureAwait(false);
            planState = created ? "created" : "lost race, reused";
            if (!created)
            {
                var winner = await storage.TryReadAsync(state, planBlob, ct).ConfigureAwait(false)
                    ?? throw new InvalidDataException($"The plan of {request.RequestId} was reported present but cannot be read.");
                plan = MessageJson.Read(winner.ToString(), PipelineJsonContext.Default.RoutingPlan);
            }
        }

        foreach (var expert in plan.Activated)
        {
            var payload = request.Payload.Inline is null ? request.Payload : await InlineRowsAsync(request, expert.Rows, x, ct).ConfigureAwait(false);
            var work = new ExpertMessage(ExpertMessage.Current, request.RequestId, plan.Model, expert.Expert, expert.Rows, payload);
            await storage.SendAsync(storage.Layout.ExpertQueue(expert.Shard), MessageJson.Write(work, PipelineJsonContext.Default.ExpertMessage), ct).ConfigureAwait(false);
        }

        PipelineLog.Routed(logger, request.RequestId, plan.Activated.Length, planState);
    }

    private async Task<RoutingPlan> MakePlanAsync(RequestRecord request, float[] x, CancellationToken ct)
    {
        var batching = models.Batching(request.Model);
        var engine = batching.Engine;
        var manifest = engine.Bundle.Manifest;
        if (request.Cols != engine.DModel || x.Length != request.Rows * request.Cols)
        {
            throw new InvalidDataException($"Request {request.RequestId} holds {request.Rows} x {request.Cols} values; model '{manifest.Id}' takes rows of {engine.DModel}.");
        }

        var routing = await batching.RouteAsync(x, request.Rows, request.Seed, ct).ConfigureAwait(false);
        var experts = new int[request.Rows][];
        var weights = new float[request.Rows][];
        var rowsOf = new SortedDictionary<int, List<int>>();
        for (int r = 0; r < request.Rows; r++)
        {
            experts[r] = routing.ExpertsOf(r).ToArray();
            weights[r] = routing.WeightsOf(r).ToArray();
            foreach (var e in experts[r])
            {
                if (!rowsOf.TryGetValue(e, out var list))
                {
                    rowsOf[e] = list = [];
                }

                list.Add(r);
            }
        }

        var activated = rowsOf.Select(kv => new PlannedExpert(kv.Key, manifest.Experts[kv.Key].Shard, [.. kv.Value])).ToList();
        var allRows = Enumerable.Range(0, request.Rows).ToArray();
        for (int s = 0; s < manifest.SharedExperts.Count; s++)
        {
            activated.Add(new PlannedExpert(manifest.Experts.Count + s, manifest.SharedExperts[s].Shard, allRows));
        }

        return new RoutingPlan
        {
            Request = request,
            Model = new ModelRef(manifest.Id, manifest.Version),
            Experts = experts,
            Weights = weights,
            Activated = [.. activated],
            PlannedAt = time.GetUtcNow(),
        };
    }

    private async Task<PayloadRef> InlineRowsAsync(RequestRecord request, int[] rows, float[]? x, CancellationToken ct)
    {
        x ??= await payloads.ReadAsync(request.Payload, ct).ConfigureAwait(false);
        if (rows.Length == request.Rows)
        {
            return request.Payload;
        }

        var subset = new float[rows.Length * request.Cols];
        for (int i = 0; i < rows.Length; i++)
        {
            x.AsSpan(rows[i] * request.Cols, request.Cols).CopyTo(subset.AsSpan(i * request.Cols));
        }

        return new PayloadRef(FloatPayload.ToBase64(subset), null);
    }
}
