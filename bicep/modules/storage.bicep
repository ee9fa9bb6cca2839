// The storage account of the pipeline and of the Functions host: Entra ID only (no shared key, so no
// connection string or SAS can work), TLS 1.2, no public blob access. It holds every queue and container
// of the storage layout (src/DeepSeek.Pipeline/Storage/StorageLayout.cs), created here so that no app
// needs the right to create them, and the audit container under a time-based immutability policy.

@description('Azure region.')
param location string

@description('Tags for every resource.')
param tags object

@description('Storage account name (3-24 lowercase letters and digits).')
param name string

@description('Replication.')
@allowed([
  'Standard_LRS'
  'Standard_ZRS'
  'Standard_GRS'
  'Standard_GZRS'
])
param skuName string = 'Standard_LRS'

@description('The work queues (gate, each expert shard, aggregate, jobs); each also gets its <queue>-poison queue.')
param workQueues string[]

@description('The containers (the pipeline\'s and the Functions host\'s).')
param containers string[]

@description('The container of audit records, kept under the immutability policy.')
param auditContainer string

@description('Days an audit record can be neither changed nor deleted after it is written.')
@minValue(1)
@maxValue(146000)
param auditRetentionDays int

resource account 'Microsoft.Storage/storageAccounts@2023-05-01' = {
  name: name
  location: location
  tags: tags
  kind: 'StorageV2'
  sku: {
    name: skuName
  }
  properties: {
    accessTier: 'Hot'
    allowSharedKeyAccess: false
    defaultToOAuthAuthentication: true
    allowBlobPublicAccess: false
    allowCrossTenantReplication: false
    minimumTlsVersion: 'TLS1_2'
    supportsHttpsTrafficOnly: true
    publicNetworkAccess: 'Enabled'
    networkAcls: {
      bypass: 'AzureServices'
      defaultAction: 'Allow'
    }
  }
}

resource blobService 'Microsoft.Storage/storageAccounts/blobServices@2023-05-01' = {
  parent: account
  name: 'default'
}

resource blobContainers 'Microsoft.Storage/storageAccounts/blobServices/containers@2023-05-01' = [
  for container in containers: {
    parent: blobService
    name: container
    properties: {
      publicAccess: 'None'
    }
  }
]

resource audit 'Microsoft.Storage/storageAccounts/blobServices/containers@2023-05-01' existing = {
  parent: blobService
  name: auditContainer
}

// Created unlocked, so it can still be shortened or removed while a deployment is tried out; locking it
// (az storage container immutability-policy lock) is a one-way step for the operator, see README.
resource auditRetention 'Microsoft.Storage/storageAccounts/blobServices/containers/immutabilityPolicies@2023-05-01' = {
  parent: audit
  name: 'default'
  properties: {
    immutabilityPeriodSinceCreationInDays: auditRetentionDays
    allowProtectedAppendWrites: false
  }
  dependsOn: [
    blobContainers
  ]
}

resource queueService 'Microsoft.Storage/storageAccounts/queueServices@2023-05-01' = {
  parent: account
  name: 'default'
}

resource queues 'Microsoft.Storage/storageAccounts/queueServices/queues@2023-05-01' = [
  for queue in flatten(map(workQueues, q => [q, '${q}-poison'])): {
    parent: queueService
    name: queue
  }
]

output name string = account.name
output id string = account.id
