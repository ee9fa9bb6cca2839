using System.Globalization;
using DeepSeek.Moe.Engine;
using DeepSeek.Pipeline.Statistics;

namespace DeepSeek.Pipeline.Http;

/// <summary>The statistics routes, shared by both hosts: publish a differentially private release (spends budget), and read published ones (free).</summary>
public sealed class StatsApi(UsageStatistics stats)
{
    /// <summary><c>POST /api/v1/stats/release?period=yyyy-MM-dd[&amp;epsilon=E]</c>.</summary>
    /// <param name="period">The UTC day.</param>
    /// <param name="epsilon">The epsilon, or null for the configured default (0.5).</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>200 with the release, 400 for a malformed period or epsilon, 403 when the period's budget would be passed.</returns>
    public async Task<ApiResponse> ReleaseAsync(string? period, string? epsilon, CancellationToken cancellationToken)
    {
        try
        {
            double? eps = null;
            if (!string.IsNullOrEmpty(epsilon))
            {
                eps = double.TryParse(epsilon, NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed)
                    ? parsed
                    : throw new InvalidInputException("epsilon", "is not a number");
            }

            var release = await stats.ReleaseAsync(period, eps, cancellationToken).ConfigureAwait(false);
            return InferenceApi.Json(200, release, PipelineJsonContext.Default.StatsRelease);
        }
        catch (InvalidInputException ex)
        {
            return Problems.InvalidInput(ex.Message, ex.Field);
        }
        catch (PrivacyBudgetExceededException ex)
        {
            return Problems.BudgetExhausted(ex.Message);
        }
    }

    /// <summary><c>GET /api/v1/stats?period=yyyy-MM-dd</c>: the period's published releases.</summary>
    /// <param name="period">The UTC day.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>200 with <c>{"period","releases":[...]}</c>, or 400.</returns>
    public async Task<ApiResponse> ListAsync(string? period, CancellationToken cancellationToken)
    {
        try
        {
            var releases = await stats.ListAsync(period, cancellationToken).ConfigureAwait(false);
            return InferenceApi.Json(200, new StatsListBody(period!, [.. releases]), PipelineJsonContext.Default.StatsListBody);
        }
        catch (InvalidInputException ex)
        {
            return Problems.InvalidInput(ex.Message, ex.Field);
        }
    }
}
