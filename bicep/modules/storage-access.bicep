// Data-plane role assignments of one principal, each scoped to a single queue or a single container: the
// narrowest scopes Azure RBAC offers for storage data.

@description('Storage account name.')
param storageAccountName string

@description('The principal (a managed identity\'s principal id, or a user).')
param principalId string

@description('ServicePrincipal for managed identities; null when not known (an operator signed in with azd).')
param principalType ('ServicePrincipal' | 'User' | 'Group')?

@description('Queue roles: { queue, role } with role a built-in role definition id.')
param queueRoles { queue: string, role: string }[] = []

@description('Container roles: { container, role } with role a built-in role definition id.')
param containerRoles { container: string, role: string }[] = []

resource account 'Microsoft.Storage/storageAccounts@2023-05-01' existing = {
  name: storageAccountName

  resource queueService 'queueServices' existing = {
    name: 'default'
  }

  resource blobService 'blobServices' existing = {
    name: 'default'
  }
}

resource queues 'Microsoft.Storage/storageAccounts/queueServices/queues@2023-05-01' existing = [
  for grant in queueRoles: {
    parent: account::queueService
    name: grant.queue
  }
]

resource queueGrants 'Microsoft.Authorization/roleAssignments@2022-04-01' = [
  for (grant, i) in queueRoles: {
    name: guid(queues[i].id, principalId, grant.role)
    scope: queues[i]
    properties: {
      roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', grant.role)
      principalId: principalId
      principalType: principalType
    }
  }
]

resource containers 'Microsoft.Storage/storageAccounts/blobServices/containers@2023-05-01' existing = [
  for grant in containerRoles: {
    parent: account::blobService
    name: grant.container
  }
]

resource containerGrants 'Microsoft.Authorization/roleAssignments@2022-04-01' = [
  for (grant, i) in containerRoles: {
    name: guid(containers[i].id, principalId, grant.role)
    scope: containers[i]
    properties: {
      roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', grant.role)
      principalId: principalId
      principalType: principalType
    }
  }
]
