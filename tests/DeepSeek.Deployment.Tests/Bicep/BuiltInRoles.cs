namespace DeepSeek.Deployment.Tests.Bicep;

/// <summary>Azure built-in role definition ids (fixed across every tenant), by role name.</summary>
internal static class BuiltInRoles
{
    public const string StorageQueueDataContributor = "974c5e8b-45b9-4653-ba55-5f855dd0fb88";
    public const string StorageQueueDataMessageSender = "c6a89b2d-59bc-44d0-9896-0f6e12d7b80a";
    public const string StorageQueueDataMessageProcessor = "8a0f0c08-91a1-4084-bc3d-661d67233fed";
    public const string StorageQueueDataReader = "19e7f393-937e-4f77-808e-94535e297925";
    public const string StorageBlobDataContributor = "ba92f5b4-2d11-453d-a403-e96b0029c9fe";
    public const string StorageBlobDataReader = "2a2b9908-6ea1-4ae2-8e65-a410df84e7d1";
    public const string StorageBlobDataOwner = "b7e6dc6d-f1e8-4753-8033-0f276bb0955b";
    public const string MonitoringMetricsPublisher = "3913510d-42f4-4e42-8a64-420c390055eb";
    public const string AcrPull = "7f951dda-4ed3-4680-a7ca-43fe172d538d";
    public const string KeyVaultSecretsUser = "4633458b-17de-408a-b874-0445c86b69e6";

    /// <summary>Roles far broader than any app here needs: none may appear in the template.</summary>
    public static readonly IReadOnlyDictionary<string, string> Broad = new Dictionary<string, string>
    {
        ["Owner"] = "8e3af657-a8ff-443c-a75c-2fe8c4bcb635",
        ["Contributor"] = "b24988ac-6180-42a0-ab88-20f7382dd24c",
        ["User Access Administrator"] = "18d7d88d-d35e-4fb5-a5c3-7773c20a72d9",
        ["Storage Account Contributor"] = "17d1049b-9a84-46fb-8f53-869881c3d3ab",
        ["Storage Account Key Operator Service Role"] = "81a9662b-bebf-436f-a333-f67b29880f12",
        ["Storage Blob Data Owner"] = StorageBlobDataOwner,
        ["AcrPush"] = "8311e382-0749-4cb8-b61a-304f252e45ec",
    };
}
