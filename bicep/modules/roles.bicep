// The built-in Azure role definitions this deployment assigns, by their fixed ids (one place).

@export()
@description('Built-in role definition ids.')
var roleIds = {
  // Read, write and delete messages of a queue, and read or create the queue itself.
  storageQueueDataContributor: '974c5e8b-45b9-4653-ba55-5f855dd0fb88'
  // Add messages to a queue, nothing else.
  storageQueueDataMessageSender: 'c6a89b2d-59bc-44d0-9896-0f6e12d7b80a'
  // Peek messages and read queue properties (message counts).
  storageQueueDataReader: '19e7f393-937e-4f77-808e-94535e297925'
  // Read, write, delete and lease blobs of a container.
  storageBlobDataContributor: 'ba92f5b4-2d11-453d-a403-e96b0029c9fe'
  // Read blobs of a container.
  storageBlobDataReader: '2a2b9908-6ea1-4ae2-8e65-a410df84e7d1'
  // Publish telemetry to an Application Insights component whose local authentication is disabled.
  monitoringMetricsPublisher: '3913510d-42f4-4e42-8a64-420c390055eb'
  // Pull images from a container registry.
  acrPull: '7f951dda-4ed3-4680-a7ca-43fe172d538d'
  // Read the value of a Key Vault secret (RBAC vaults).
  keyVaultSecretsUser: '4633458b-17de-408a-b874-0445c86b69e6'
}
