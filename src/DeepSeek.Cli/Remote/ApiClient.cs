using System.Net.Http.Headers;
using System.Text;

namespace DeepSeek.Cli.Remote;

/// <summary>
/// Talks to a running stack (<c>deepseek local up</c>, the worker, or the Functions app) over the HTTP contract, with a
/// bearer token and, in Azure, a function key.
/// </summary>
internal sealed class ApiClient(Uri baseUrl, string? functionKey, string? token) : IDisposable
{
    private readonly HttpClient _http = new() { BaseAddress = baseUrl, Timeout = TimeSpan.FromMinutes(10) };

    public async Task<(int Status, string Body)> SendAsync(HttpMethod method, string path, HttpContent? content, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(method, path) { Content = content };
        if (functionKey is not null)
        {
            request.Headers.Add("x-functions-key", functionKey);
        }

        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        try
        {
            using var response = await _http.SendAsync(request, ct).ConfigureAwait(false);
            var body = await response.Content.ReadAsStringAsync(ct).ConfigureAwait(false);
            if (response.StatusCode == System.Net.HttpStatusCode.Unauthorized && token is null)
            {
                body += $"{Environment.NewLine}hint: pass --token or set ${RemoteOptions.TokenVariable} (`deepseek local up` prints a development token; `deepseek auth token` makes more)";
            }

            return ((int)response.StatusCode, body);
        }
        catch (HttpRequestException ex)
        {
            throw new CliUsageException($"cannot reach {_http.BaseAddress}: {ex.Message} (is `deepseek local up` running?)");
        }
    }

    public static StringContent Json(string json) => new(json, Encoding.UTF8, new MediaTypeHeaderValue("application/json"));

    public void Dispose() => _http.Dispose();
}
