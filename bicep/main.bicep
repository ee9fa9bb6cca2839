// DeepSeek.Functions on Azure: storage (queues and containers of the storage layout, immutable audit
// records), identities with least-privilege roles, monitoring, a container registry, a Container Apps
// environment with a serverless GPU profile, and the function apps: one front app (gate, aggregate, batch
// jobs, HTTP) and one app per expert shard. `azd up` deploys it (azure.yaml); README "Deployment" explains.
//
// Least privilege, in short (the role ids are in modules/roles.bicep):
// - Storage accepts Entra ID only (allowSharedKeyAccess false): no key, connection string or SAS exists.
// - Every data role is scoped to one queue or one container. A queue an app triggers on needs Storage
//   Queue Data Contributor: the trigger also updates messages (visibility on retry) and moves poison
//   messages, which Storage Queue Data Message Processor does not allow. A queue an app only sends to gets
//   Storage Queue Data Message Sender.
// - The Functions host keeps its leases and keys in azure-webjobs-hosts and azure-webjobs-secrets; both are
//   created here and the apps get Storage Blob Data Contributor on those two containers only (the
//   documented Storage Blob Data Owner on the account is more than the host uses).
// - The front app also writes the audit log's structure (-auditlog) and the statistics (-stats), and reads
//   its seal and pseudonym keys from Key Vault (Key Vault Secrets User on those secrets only).
// - The expert shards only read request payloads (Storage Blob Data Reader on the payloads container).
// - The KEDA operator (Kubernetes) gets its own identity with Storage Queue Data Reader on the queues.
targetScope = 'subscription'

@description('azd environment name; names the resource group and seeds resource names.')
@minLength(1)
@maxLength(64)
param environmentName string

@description('Azure region; it must offer Container Apps serverless GPUs of the chosen type.')
@minLength(1)
param location string

@description('Principal id of the operator running azd (AZURE_PRINCIPAL_ID): may read queue lengths to watch a rollout drain. Empty: no role.')
param principalId string = ''

@description('Pipeline:Prefix of every queue and container name (1-32 lowercase letters, digits or inner hyphens).')
@minLength(1)
@maxLength(32)
param prefix string = 'moe'

@description('An expert shard: its number (the shard field of moe.json) and the replica bounds of its app.')
type expertShard = {
  @minValue(0)
  shard: int
  @minValue(0)
  minReplicas: int
  @minValue(1)
  maxReplicas: int
}

@description('The expert shards, one function app (one GPU per replica) each. The demo model uses shards 0-3.')
@minLength(1)
param expertShards expertShard[] = [
  { shard: 0, minReplicas: 0, maxReplicas: 2 }
  { shard: 1, minReplicas: 0, maxReplicas: 2 }
  { shard: 2, minReplicas: 0, maxReplicas: 2 }
  { shard: 3, minReplicas: 0, maxReplicas: 2 }
]

@description('Serverless GPU of the expert shards.')
@allowed([
  'Consumption-GPU-NC8as-T4'
  'Consumption-GPU-NC24-A100'
])
param gpuProfileType string = 'Consumption-GPU-NC8as-T4'

@description('Expert backend of the shard apps (Pipeline:Backend).')
@allowed([
  'onnx-cuda'
  'native-cuda'
  'onnx-cpu'
  'native-cpu'
])
param expertBackend string = 'onnx-cuda'

@description('Replica bounds of the front app (gate, aggregate, jobs, HTTP).')
@minValue(1)
param frontMinReplicas int = 1

@description('Most replicas of the front app.')
@minValue(1)
param frontMaxReplicas int = 10

@description('Days an audit record stays immutable after it is written.')
@minValue(1)
@maxValue(146000)
param auditRetentionDays int = 365

@description('Function image (registry/repository:tag). Empty: the Functions base image, until the postprovision hook has built and set the real one.')
param functionsImage string = ''

@description('Deploy the Container Apps environment and the function apps (false: storage, identities, registry and monitoring only, for Kubernetes).')
param deployFunctionApps bool = true

@description('OIDC issuer URL of an AKS cluster: federates the Kubernetes service accounts with the identities (workload identity). Empty: none.')
param aksOidcIssuerUrl string = ''

@description('Kubernetes namespace of the worker deployments (infra/kubernetes).')
param kubernetesNamespace string = 'deepseek'

@description('Entra ID tenant whose bearer tokens the apps accept (Moe:Auth:TenantId).')
param authTenantId string = tenant().tenantId

@description('Audience of those tokens (Moe:Auth:Audience), the Application ID URI of the API\'s app registration, for example api://<app-client-id>. The apps refuse to start without a way to authenticate (README, "Security").')
@minLength(1)
param authAudience string

@description('NCRONTAB of the SealAudit timer of the front app (AuditSealSchedule).')
param auditSealSchedule string = '0 */5 * * * *'

@secure()
@description('Audit:Seal:Key (HMAC-SHA256, base64 of at least 32 random bytes), stored as a Key Vault secret and referenced by the front app. Empty: no secret, nothing is sealed.')
param auditSealKey string = ''

@description('Audit:Seal:KeyId recorded in every seal.')
param auditSealKeyId string = 'k1'

@secure()
@description('Privacy:PseudonymKey (base64 of at least 32 random bytes), stored as a Key Vault secret and referenced by the front app. Empty: no secret, a random key per instance.')
param pseudonymKey string = ''

@description('Storage replication.')
@allowed([
  'Standard_LRS'
  'Standard_ZRS'
  'Standard_GRS'
  'Standard_GZRS'
])
param storageSku string = 'Standard_LRS'

import { roleIds } from 'modules/roles.bicep'

var token = toLower(uniqueString(subscription().id, environmentName, location))
var tags = { 'azd-env-name': environmentName }

// The storage layout (src/DeepSeek.Pipeline/Storage/StorageLayout.cs); the tests hold the two to each other.
var gateQueue = '${prefix}-gate'
var aggregateQueue = '${prefix}-aggregate'
var jobsQueue = '${prefix}-jobs'
var expertQueues = [for s in expertShards: '${prefix}-expert-${s.shard}']
var workQueues = concat([gateQueue], expertQueues, [aggregateQueue, jobsQueue])
var allQueues = flatten(map(workQueues, q => [q, poison(q)]))
var payloadsContainer = '${prefix}-payloads'
var stateContainer = '${prefix}-state'
var resultsContainer = '${prefix}-results'
var auditContainer = '${prefix}-audit'
var jobsContainer = '${prefix}-jobs'
// The audit log's structure (chain heads rewritten on every append, chain index, seals, kept inputs): never
// under an immutability policy, since its heads are rewritten; sealed heads and `audit verify` detect tampering.
var auditLogContainer = '${prefix}-auditlog'
// Released statistics and the privacy budget ledger.
var statsContainer = '${prefix}-stats'
var layoutContainers = [payloadsContainer, stateContainer, resultsContainer, auditContainer, auditLogContainer, jobsContainer, statsContainer]
// The Functions host's own containers (leases and host locks; function keys).
var hostContainers = ['azure-webjobs-hosts', 'azure-webjobs-secrets']

func poison(queue string) string => '${queue}-poison'

// The functions of src/DeepSeek.Functions, by the app that runs them.
var frontFunctions = [
  'Gate'
  'GatePoison'
  'Aggregate'
  'AggregatePoison'
  'Jobs'
  'JobsPoison'
  'Infer'
  'GetRequest'
  'GetAudit'
  'SubmitJob'
  'GetJob'
  'GetJobOutput'
  'GetStats'
  'ReleaseStats'
  'SealAudit'
  'Health'
]
var expertFunctions = ['Expert', 'ExpertPoison']

var frontAppName = 'func-${token}'
var expertAppNames = [for s in expertShards: 'func-${token}-expert-${s.shard}']

var gpuProfileName = 'gpu'
// One replica of a serverless GPU profile gets the whole GPU with these vCPUs and memory.
var gpuReplicaSizes = {
  'Consumption-GPU-NC8as-T4': { cpu: 8, memory: '56Gi' }
  'Consumption-GPU-NC24-A100': { cpu: 24, memory: '220Gi' }
}
var baseImage = 'mcr.microsoft.com/azure-functions/dotnet-isolated:4-dotnet-isolated10.0'
var image = empty(functionsImage) ? baseImage : functionsImage

var pipelineSettings = {
  MoeGateQueue: gateQueue
  MoeAggregateQueue: aggregateQueue
  MoeJobsQueue: jobsQueue
  Pipeline__Prefix: prefix
  // The image carries its model bundles here (infra/docker/functions.Dockerfile).
  Pipeline__ModelsPath: '/models'
  Moe__Auth__TenantId: authTenantId
  Moe__Auth__Audience: authAudience
  // NCRONTAB of the SealAudit timer (front app); every app gets it, since the host resolves it even where disabled.
  AuditSealSchedule: auditSealSchedule
}

// The front app's secrets (seal key, pseudonym key) are Key Vault references, resolved with its identity;
// a secret that was not given is left out (no sealing, a per-instance pseudonym key; both log a warning).
var frontSecretSettings = union(
  empty(auditSealKey) ? {} : { Audit__Seal__Key: keyVault.outputs.references.auditSealKey, Audit__Seal__KeyId: auditSealKeyId },
  empty(pseudonymKey) ? {} : { Privacy__PseudonymKey: keyVault.outputs.references.pseudonymKey }
)

resource rg 'Microsoft.Resources/resourceGroups@2024-03-01' = {
  name: 'rg-${environmentName}'
  location: location
  tags: tags
}

module identities 'modules/identities.bicep' = {
  name: 'identities'
  scope: rg
  params: {
    location: location
    tags: tags
    nameStem: 'id-${token}'
    oidcIssuerUrl: aksOidcIssuerUrl
    kubernetesNamespace: kubernetesNamespace
  }
}

module monitoring 'modules/monitoring.bicep' = {
  name: 'monitoring'
  scope: rg
  params: {
    location: location
    tags: tags
    workspaceName: 'log-${token}'
    appInsightsName: 'appi-${token}'
    publisherPrincipalIds: [identities.outputs.frontPrincipalId, identities.outputs.expertsPrincipalId]
  }
}

module registry 'modules/registry.bicep' = {
  name: 'registry'
  scope: rg
  params: {
    location: location
    tags: tags
    name: 'cr${token}'
    pullPrincipalIds: [identities.outputs.frontPrincipalId, identities.outputs.expertsPrincipalId]
  }
}

module storage 'modules/storage.bicep' = {
  name: 'storage'
  scope: rg
  params: {
    location: location
    tags: tags
    name: 'st${token}'
    skuName: storageSku
    workQueues: workQueues
    containers: concat(layoutContainers, hostContainers)
    auditContainer: auditContainer
    auditRetentionDays: auditRetentionDays
  }
}

// Front: triggers on gate, aggregate and jobs (and their poison queues), sends to the expert queues,
// writes every container.
module frontAccess 'modules/storage-access.bicep' = {
  name: 'storage-access-front'
  scope: rg
  params: {
    storageAccountName: storage.outputs.name
    principalId: identities.outputs.frontPrincipalId
    principalType: 'ServicePrincipal'
    queueRoles: concat(
      map(flatten(map([gateQueue, aggregateQueue, jobsQueue], q => [q, poison(q)])), q => { queue: q, role: roleIds.storageQueueDataContributor }),
      map(expertQueues, q => { queue: q, role: roleIds.storageQueueDataMessageSender })
    )
    containerRoles: map(
      concat(layoutContainers, hostContainers),
      c => { container: c, role: roleIds.storageBlobDataContributor }
    )
  }
}

// Experts: trigger on their shard queues (and poison queues), send to aggregate, read payloads, write
// partials (state) and, from their poison handler, failed results, audit records (appended to the chain in
// -auditlog: head, index entry, kept input) and job markers. No statistics, no secrets.
module expertsAccess 'modules/storage-access.bicep' = {
  name: 'storage-access-experts'
  scope: rg
  params: {
    storageAccountName: storage.outputs.name
    principalId: identities.outputs.expertsPrincipalId
    principalType: 'ServicePrincipal'
    queueRoles: concat(
      map(flatten(map(expertQueues, q => [q, poison(q)])), q => { queue: q, role: roleIds.storageQueueDataContributor }),
      [{ queue: aggregateQueue, role: roleIds.storageQueueDataMessageSender }]
    )
    containerRoles: concat(
      [{ container: payloadsContainer, role: roleIds.storageBlobDataReader }],
      map(
        concat([stateContainer, resultsContainer, auditContainer, auditLogContainer, jobsContainer], hostContainers),
        c => { container: c, role: roleIds.storageBlobDataContributor }
      )
    )
  }
}

// The KEDA operator reads queue lengths, nothing else.
module scalerAccess 'modules/storage-access.bicep' = {
  name: 'storage-access-scaler'
  scope: rg
  params: {
    storageAccountName: storage.outputs.name
    principalId: identities.outputs.scalerPrincipalId
    principalType: 'ServicePrincipal'
    queueRoles: map(allQueues, q => { queue: q, role: roleIds.storageQueueDataReader })
  }
}

module operatorAccess 'modules/storage-access.bicep' = if (!empty(principalId)) {
  name: 'storage-access-operator'
  scope: rg
  params: {
    storageAccountName: storage.outputs.name
    principalId: principalId
    queueRoles: map(allQueues, q => { queue: q, role: roleIds.storageQueueDataReader })
  }
}

// The front app's secrets: RBAC only, the front identity may read exactly these secrets.
module keyVault 'modules/key-vault.bicep' = {
  name: 'key-vault'
  scope: rg
  params: {
    location: location
    tags: tags
    name: 'kv-${token}'
    auditSealKey: auditSealKey
    pseudonymKey: pseudonymKey
    readerPrincipalId: identities.outputs.frontPrincipalId
  }
}

module environment 'modules/environment.bicep' = if (deployFunctionApps) {
  name: 'environment'
  scope: rg
  params: {
    location: location
    tags: tags
    name: 'cae-${token}'
    gpuProfileType: gpuProfileType
    gpuProfileName: gpuProfileName
    workspaceId: monitoring.outputs.workspaceId
  }
}

module front 'modules/function-app.bicep' = if (deployFunctionApps) {
  name: 'app-front'
  scope: rg
  params: {
    location: location
    tags: tags
    name: frontAppName
    environmentId: environment!.outputs.id
    workloadProfileName: 'Consumption'
    cpu: 2
    memory: '4Gi'
    minReplicas: frontMinReplicas
    maxReplicas: frontMaxReplicas
    image: image
    pullWithIdentity: startsWith(image, '${registry.outputs.loginServer}/')
    identityId: identities.outputs.frontId
    identityClientId: identities.outputs.frontClientId
    storageAccountName: storage.outputs.name
    appInsightsConnectionString: monitoring.outputs.appInsightsConnectionString
    // The app validates all four queue settings at start; its Expert functions are disabled.
    settings: union(pipelineSettings, { MoeExpertQueue: expertQueues[0], Pipeline__Backend: 'onnx-cpu' }, frontSecretSettings)
    disabledFunctions: expertFunctions
  }
  dependsOn: [
    frontAccess
  ]
}

module experts 'modules/function-app.bicep' = [
  for (s, i) in expertShards: if (deployFunctionApps) {
    name: 'app-expert-${s.shard}'
    scope: rg
    params: {
      location: location
      tags: tags
      name: expertAppNames[i]
      environmentId: environment!.outputs.id
      workloadProfileName: gpuProfileName
      cpu: gpuReplicaSizes[gpuProfileType].cpu
      memory: gpuReplicaSizes[gpuProfileType].memory
      minReplicas: s.minReplicas
      maxReplicas: s.maxReplicas
      image: image
      pullWithIdentity: startsWith(image, '${registry.outputs.loginServer}/')
      identityId: identities.outputs.expertsId
      identityClientId: identities.outputs.expertsClientId
      storageAccountName: storage.outputs.name
      appInsightsConnectionString: monitoring.outputs.appInsightsConnectionString
      settings: union(pipelineSettings, { MoeExpertQueue: expertQueues[i], Pipeline__Backend: expertBackend })
      disabledFunctions: frontFunctions
    }
    dependsOn: [
      expertsAccess
    ]
  }
]

output AZURE_LOCATION string = location
output AZURE_RESOURCE_GROUP string = rg.name
output AZURE_CONTAINER_REGISTRY_NAME string = registry.outputs.name
output AZURE_CONTAINER_REGISTRY_ENDPOINT string = registry.outputs.loginServer
output AZURE_STORAGE_ACCOUNT_NAME string = storage.outputs.name
output MOE_PREFIX string = prefix
output MOE_AUTH_TENANT_ID string = authTenantId
output MOE_FRONT_CLIENT_ID string = identities.outputs.frontClientId
output MOE_EXPERTS_CLIENT_ID string = identities.outputs.expertsClientId
output MOE_SCALER_CLIENT_ID string = identities.outputs.scalerClientId
output MOE_FRONT_URL string = deployFunctionApps ? 'https://${front!.outputs.hostName}' : ''
output MOE_FRONT_APP_NAME string = deployFunctionApps ? frontAppName : ''
// Space-separated resource ids of every function app, for the postprovision hook.
output MOE_FUNCTION_APP_IDS string = deployFunctionApps
  ? join(map(concat([frontAppName], expertAppNames), n => '${rg.id}/providers/Microsoft.Web/sites/${n}'), ' ')
  : ''
