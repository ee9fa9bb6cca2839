using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace DeepSeek.Pipeline.Tests.Http;

/// <summary>One call of a <see cref="DeepSeek.Pipeline.Http.MoeHttpHandlers"/> handler over a harness's services, as both hosts make it.</summary>
public sealed class HandlerCall
{
    private readonly DefaultHttpContext _context;

    private HandlerCall(DefaultHttpContext context) => _context = context;

    public int Status => _context.Response.StatusCode;

    public string? ContentType => _context.Response.ContentType;

    public IHeaderDictionary Headers => _context.Response.Headers;

    public string Text => Encoding.UTF8.GetString(((MemoryStream)_context.Response.Body).ToArray());

    public JsonElement Json => JsonDocument.Parse(Text).RootElement.Clone();

    public static async Task<HandlerCall> RunAsync(
        PipelineHarness harness, Func<HttpContext, Task> handler, string method, string path,
        string? token = null, string? body = null, string query = "", IDictionary<string, string>? headers = null)
    {
        var context = NewContext(harness, method, path, query, body);
        if (token is not null)
        {
            context.Request.Headers.Authorization = "Bearer " + token;
        }

        foreach (var (name, value) in headers ?? new Dictionary<string, string>())
        {
            context.Request.Headers[name] = value;
        }

        await handler(context);
        return new HandlerCall(context);
    }

    /// <summary>A JSON request over the harness's services as the hosts hand it over, its response body kept in memory.</summary>
    /// <param name="harness">The services.</param>
    /// <param name="method">The HTTP method.</param>
    /// <param name="path">The path.</param>
    /// <param name="query">The query string, with its leading <c>?</c>, or empty.</param>
    /// <param name="body">The JSON body, or <see langword="null"/> for none.</param>
    /// <returns>The context.</returns>
    public static DefaultHttpContext NewContext(PipelineHarness harness, string method, string path, string query, string? body)
    {
        var context = new DefaultHttpContext { RequestServices = harness.Services };
        context.Request.Method = method;
        context.Request.Scheme = "http";
        context.Request.Host = new HostString("localhost:7071");
        context.Request.Path = path;
        context.Request.QueryString = new QueryString(query);
        context.Request.ContentType = "application/json";
        context.Request.Body = new MemoryStream(Encoding.UTF8.GetBytes(body ?? ""));
        context.Response.Body = new MemoryStream();
        return context;
    }
}
