// The container registry of the function image: no admin user, no anonymous pull; the apps pull with
// their managed identities (AcrPull on this registry, the narrowest scope a built-in role has).

import { roleIds } from 'roles.bicep'

@description('Azure region.')
param location string

@description('Tags for every resource.')
param tags object

@description('Registry name (5-50 alphanumerics).')
param name string

@description('Principal ids allowed to pull.')
param pullPrincipalIds string[]

resource registry 'Microsoft.ContainerRegistry/registries@2025-04-01' = {
  name: name
  location: location
  tags: tags
  sku: {
    name: 'Standard'
  }
  properties: {
    adminUserEnabled: false
    anonymousPullEnabled: false
    publicNetworkAccess: 'Enabled'
  }
}

resource pull 'Microsoft.Authorization/roleAssignments@2022-04-01' = [
  for principalId in pullPrincipalIds: {
    name: guid(registry.id, principalId, roleIds.acrPull)
    scope: registry
    properties: {
      roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roleIds.acrPull)
      principalId: principalId
      principalType: 'ServicePrincipal'
    }
  }
]

output name string = registry.name
output loginServer string = registry.properties.loginServer
