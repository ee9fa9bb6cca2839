// The user-assigned identities: one for the front app (gate, aggregate, jobs, HTTP), one for the expert
// shards, one for the KEDA operator (queue lengths only). Each gets only the roles its work needs
// (storage-access.bicep). On Kubernetes, workload identity federates a service account with each identity.

@description('Azure region.')
param location string

@description('Tags for every resource.')
param tags object

@description('Name stem; the identities are <stem>-front, <stem>-experts and <stem>-scaler.')
param nameStem string

@description('OIDC issuer URL of the AKS cluster for workload identity; empty: no federated credentials.')
param oidcIssuerUrl string = ''

@description('Kubernetes namespace of the worker deployments.')
param kubernetesNamespace string = 'deepseek'

@description('Namespace of the KEDA operator.')
param kedaNamespace string = 'keda'

@description('Service account of the KEDA operator.')
param kedaServiceAccount string = 'keda-operator'

var federate = !empty(oidcIssuerUrl)
var audiences = ['api://AzureADTokenExchange']

resource front 'Microsoft.ManagedIdentity/userAssignedIdentities@2024-11-30' = {
  name: '${nameStem}-front'
  location: location
  tags: tags
}

resource experts 'Microsoft.ManagedIdentity/userAssignedIdentities@2024-11-30' = {
  name: '${nameStem}-experts'
  location: location
  tags: tags
}

resource scaler 'Microsoft.ManagedIdentity/userAssignedIdentities@2024-11-30' = {
  name: '${nameStem}-scaler'
  location: location
  tags: tags
}

resource frontFederation 'Microsoft.ManagedIdentity/userAssignedIdentities/federatedIdentityCredentials@2024-11-30' = if (federate) {
  parent: front
  name: 'kubernetes-front'
  properties: {
    issuer: oidcIssuerUrl
    subject: 'system:serviceaccount:${kubernetesNamespace}:deepseek-front'
    audiences: audiences
  }
}

resource expertsFederation 'Microsoft.ManagedIdentity/userAssignedIdentities/federatedIdentityCredentials@2024-11-30' = if (federate) {
  parent: experts
  name: 'kubernetes-experts'
  properties: {
    issuer: oidcIssuerUrl
    subject: 'system:serviceaccount:${kubernetesNamespace}:deepseek-experts'
    audiences: audiences
  }
}

resource scalerFederation 'Microsoft.ManagedIdentity/userAssignedIdentities/federatedIdentityCredentials@2024-11-30' = if (federate) {
  parent: scaler
  name: 'kubernetes-keda'
  properties: {
    issuer: oidcIssuerUrl
    subject: 'system:serviceaccount:${kedaNamespace}:${kedaServiceAccount}'
    audiences: audiences
  }
}

output frontId string = front.id
output frontClientId string = front.properties.clientId
output frontPrincipalId string = front.properties.principalId
output expertsId string = experts.id
output expertsClientId string = experts.properties.clientId
output expertsPrincipalId string = experts.properties.principalId
output scalerClientId string = scaler.properties.clientId
output scalerPrincipalId string = scaler.properties.principalId
