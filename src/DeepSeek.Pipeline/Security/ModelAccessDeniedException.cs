namespace DeepSeek.Pipeline.Security;

/// <summary>The caller may not use a model: its allow list (<see cref="AuthOptions.ModelAccess"/>) names no subject the caller matches.</summary>
/// <param name="model">The model id.</param>
public sealed class ModelAccessDeniedException(string model) : Exception($"The caller may not use model '{model}'.")
{
    /// <summary>Gets the model the caller may not use.</summary>
    public string Model { get; } = model;
}
