namespace DeepSeek.Pipeline.Statistics;

/// <summary>A release would spend more than a period's privacy budget; nothing was released.</summary>
/// <param name="message">The explanation.</param>
public sealed class PrivacyBudgetExceededException(string message) : Exception(message);
