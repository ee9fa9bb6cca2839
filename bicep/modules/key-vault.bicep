// A Key Vault for the front app's secrets (Audit:Seal:Key, Privacy:PseudonymKey): Azure RBAC only (no access
// policies), soft delete with purge protection. The app settings are Key Vault references
// (@Microsoft.KeyVault(...)), resolved with the app's identity, which may read exactly these secrets.

import { roleIds } from 'roles.bicep'

@description('Azure region.')
param location string

@description('Tags for every resource.')
param tags object

@description('Vault name (3-24 letters, digits, hyphens).')
param name string

@secure()
@description('Audit:Seal:Key; empty: no secret.')
param auditSealKey string

@secure()
@description('Privacy:PseudonymKey; empty: no secret.')
param pseudonymKey string

@description('The principal that may read these secrets (Key Vault Secrets User on each secret).')
param readerPrincipalId string

resource vault 'Microsoft.KeyVault/vaults@2023-07-01' = {
  name: name
  location: location
  tags: tags
  properties: {
    tenantId: tenant().tenantId
    sku: {
      family: 'A'
      name: 'standard'
    }
    enableRbacAuthorization: true
    enableSoftDelete: true
    enablePurgeProtection: true
    softDeleteRetentionInDays: 90
    publicNetworkAccess: 'Enabled'
  }
}

// { key: output name, name: secret name } of each secret given; values stay in the secure parameters.
var given = concat(
  empty(auditSealKey) ? [] : [{ key: 'auditSealKey', name: 'audit-seal-key' }],
  empty(pseudonymKey) ? [] : [{ key: 'pseudonymKey', name: 'privacy-pseudonym-key' }]
)

resource stored 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = [
  for secret in given: {
    parent: vault
    name: secret.name
    properties: {
      value: secret.key == 'auditSealKey' ? auditSealKey : pseudonymKey
    }
  }
]

resource readers 'Microsoft.Authorization/roleAssignments@2022-04-01' = [
  for (secret, i) in given: {
    name: guid(stored[i].id, readerPrincipalId, roleIds.keyVaultSecretsUser)
    scope: stored[i]
    properties: {
      roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roleIds.keyVaultSecretsUser)
      principalId: readerPrincipalId
      principalType: 'ServicePrincipal'
    }
  }
]

output name string = vault.name
// App setting values: versionless references, so a rotated secret is picked up without a redeployment.
output references object = toObject(given, s => s.key, s => '@Microsoft.KeyVault(VaultName=${name};SecretName=${s.name})')
