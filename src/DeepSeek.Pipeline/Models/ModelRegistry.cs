using System.Collections.Concurrent;
using DeepSeek.Moe.Batching;
using DeepSeek.Moe.Bundles;
using DeepSeek.Moe.Engine;
using DeepSeek.Moe.Experts;
using DeepSeek.Pipeline.Audit;
using DeepSeek.Pipeline.Configuration;
using DeepSeek.Pipeline.Messages;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace DeepSeek.Pipeline.Models;

/// <summary>
/// The models this instance serves: every bundle folder under <see cref="PipelineOptions.ModelsPath"/>
/// (or that folder itself when it holds a <c>moe.json</c>), validated at start; engines are created on first use.
/// </summary>
public sealed class ModelRegistry : IDisposable
{
    private readonly Dictionary<string, ModelBundle> _bundles;
    private readonly ConcurrentDictionary<string, Lazy<BatchingEngine>> _engines = new(StringComparer.Ordinal);
    private readonly string _backend;
    private readonly ExpertRuntimeOptions _runtime;
    private readonly BatchingOptions _batching;

    /// <summary>Loads the bundles.</summary>
    /// <param name="options">Pipeline options (models folder, backend).</param>
    /// <param name="runtime">Session options.</param>
    /// <param name="batching">Micro-batching of the stages' kernel calls.</param>
    /// <param name="logger">The logger.</param>
    /// <exception cref="BundleException">A bundle is invalid, or two share an id.</exception>
    public ModelRegistry(IOptions<PipelineOptions> options, IOptions<ExpertRuntimeOptions> runtime, IOptions<BatchingOptions> batching, ILogger<ModelRegistry> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(runtime);
        ArgumentNullException.ThrowIfNull(batching);
        _backend = options.Value.Backend;
        _runtime = runtime.Value;
        _batching = batching.Value;
        _batching.Validate();
        _bundles = new Dictionary<string, ModelBundle>(StringComparer.Ordinal);
        foreach (var bundle in BundleFolders(options.Value.ModelsPath).Select(d => ModelBundle.Load(d)))
        {
            if (!_bundles.TryAdd(bundle.Manifest.Id, bundle))
            {
                throw new BundleException(MoeManifest.FileName, "id", $"model id '{bundle.Manifest.Id}' is used by both {_bundles[bundle.Manifest.Id].Directory} and {bundle.Directory}");
            }

            PipelineLog.ModelLoaded(logger, bundle.Manifest.Id, bundle.Manifest.Version, bundle.Directory);
        }
    }

    /// <summary>Gets the loaded bundles.</summary>
    public IReadOnlyCollection<ModelBundle> Bundles => _bundles.Values;

    /// <summary>Gets every expert shard any model uses.</summary>
    public IReadOnlyList<int> Shards => [.. _bundles.Values.SelectMany(b => b.Manifest.Experts.Concat(b.Manifest.SharedExperts)).Select(e => e.Shard).Distinct().Order()];

    /// <summary>Finds a model.</summary>
    /// <param name="id">The model id.</param>
    /// <param name="bundle">The bundle, when found.</param>
    /// <returns>True when served here.</returns>
    public bool TryGet(string id, out ModelBundle bundle) => _bundles.TryGetValue(id, out bundle!);

    /// <summary>Gets a model's engine, creating it on first use.</summary>
    /// <param name="model">The model and, when given, the version the work was planned with.</param>
    /// <returns>The engine.</returns>
    /// <exception cref="UnknownModelException">The model is not served here, or its version changed.</exception>
    public MoeEngine Engine(ModelRef model) => Batching(model).Engine;

    /// <summary>Gets a model's engine behind its micro-batchers (what the stages call), creating it on first use.</summary>
    /// <param name="model">The model and, when given, the version the work was planned with.</param>
    /// <returns>The batching front of the engine.</returns>
    /// <exception cref="UnknownModelException">The model is not served here, or its version changed.</exception>
    public BatchingEngine Batching(ModelRef model)
    {
        ArgumentNullException.ThrowIfNull(model);
        var bundle = Require(model.Id);
        if (model.Version != bundle.Manifest.Version)
        {
            throw new UnknownModelException($"Model '{model.Id}' version '{model.Version}' was planned, but this instance serves version '{bundle.Manifest.Version}'.");
        }

        return _engines.GetOrAdd(model.Id, _ => new Lazy<BatchingEngine>(() => new BatchingEngine(MoeBackends.Create(bundle, _backend, _runtime), _batching))).Value;
    }

    /// <summary>Gets a model's engine by id at its current version.</summary>
    /// <param name="id">The model id.</param>
    /// <returns>The engine.</returns>
    public MoeEngine Engine(string id) => Engine(new ModelRef(id, Require(id).Manifest.Version));

    /// <summary>Gets a model's engine behind its micro-batchers by id at its current version.</summary>
    /// <param name="id">The model id.</param>
    /// <returns>The batching front of the engine.</returns>
    public BatchingEngine Batching(string id) => Batching(new ModelRef(id, Require(id).Manifest.Version));

    /// <summary>Gets the id, version and file hashes of a model for audit records.</summary>
    /// <param name="id">The model id.</param>
    /// <returns>The audit view, or null when the model is not served here.</returns>
    public AuditModel? Describe(string id)
    {
        if (!_bundles.TryGetValue(id, out var b))
        {
            return null;
        }

        var m = b.Manifest;
        var files = new SortedDictionary<string, string>(StringComparer.Ordinal) { [m.Gate.File] = m.Gate.Sha256 };
        foreach (var e in m.Experts.Concat(m.SharedExperts))
        {
            files[e.File] = e.Sha256;
        }

        return new AuditModel(m.Id, m.Version, files);
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        foreach (var engine in _engines.Values.Where(l => l.IsValueCreated))
        {
            engine.Value.Engine.Dispose();
        }
    }

    private ModelBundle Require(string id) => _bundles.TryGetValue(id, out var b)
        ? b
        : throw new UnknownModelException($"Model '{id}' is not served here; known models: {string.Join(", ", _bundles.Keys.Order())}.");

    /// <summary>
    /// The bundle folders a models path names: the path itself when it holds a <c>moe.json</c>, else each of its
    /// sub-folders that does, in ordinal order.
    /// </summary>
    /// <param name="path">The models path (<see cref="PipelineOptions.ModelsPath"/>).</param>
    /// <returns>The bundle folders.</returns>
    /// <exception cref="DirectoryNotFoundException">The path does not exist.</exception>
    public static IReadOnlyList<string> BundleFolders(string path)
    {
        if (File.Exists(Path.Combine(path, MoeManifest.FileName)))
        {
            return [path];
        }

        if (!Directory.Exists(path))
        {
            throw new DirectoryNotFoundException($"The models folder '{Path.GetFullPath(path)}' does not exist (setting {PipelineOptions.SectionName}:{nameof(PipelineOptions.ModelsPath)}).");
        }

        return [.. Directory.EnumerateDirectories(path).Order(StringComparer.Ordinal)
            .Where(d => File.Exists(Path.Combine(d, MoeManifest.FileName)))];
    }
}
