namespace DeepSeek.Pipeline.Jobs;

/// <summary>Whether a job's output can be read.</summary>
public enum JobOutputState
{
    /// <summary>No such job.</summary>
    Unknown,

    /// <summary>Lines are still queued or running.</summary>
    Pending,

    /// <summary>The job itself failed: it could not be split into lines.</summary>
    Failed,

    /// <summary>Every line is done; the output can be written.</summary>
    Ready,
}
