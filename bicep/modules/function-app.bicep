// One function app (kind functionapp on Azure Container Apps) running the image of src/DeepSeek.Functions.
// Every app runs the same image; app settings choose what it does: the queue settings it listens on and the
// functions it leaves disabled (AzureWebJobs.<name>.Disabled). Storage is reached with the app's
// user-assigned identity only (AzureWebJobsStorage__accountName / __credential / __clientId).

@description('Azure region.')
param location string

@description('Tags for every resource.')
param tags object

@description('App name.')
param name string

@description('Container Apps environment id.')
param environmentId string

@description('Workload profile of the environment the app runs on.')
param workloadProfileName string

@description('vCPUs of one replica.')
param cpu int

@description('Memory of one replica, for example 4Gi.')
param memory string

@description('Fewest replicas (0 scales to zero).')
@minValue(0)
param minReplicas int

@description('Most replicas.')
@minValue(1)
param maxReplicas int

@description('Image reference, registry included.')
param image string

@description('Whether the image comes from the deployment\'s registry, pulled with the identity.')
param pullWithIdentity bool

@description('The app\'s user-assigned identity (resource id).')
param identityId string

@description('The client id of that identity.')
param identityClientId string

@description('Storage account of the triggers, the pipeline and the Functions host.')
param storageAccountName string

@description('Application Insights connection string (an address: the component accepts Entra ID-authenticated telemetry only).')
param appInsightsConnectionString string

@description('Settings of the app itself (queue names, Pipeline__*).')
param settings object

@description('Functions of the image this app does not run.')
param disabledFunctions string[]

var hostSettings = {
  FUNCTIONS_EXTENSION_VERSION: '~4'
  FUNCTIONS_WORKER_RUNTIME: 'dotnet-isolated'
  AzureWebJobsStorage__accountName: storageAccountName
  AzureWebJobsStorage__credential: 'managedidentity'
  AzureWebJobsStorage__clientId: identityClientId
  APPLICATIONINSIGHTS_CONNECTION_STRING: appInsightsConnectionString
  APPLICATIONINSIGHTS_AUTHENTICATION_STRING: 'ClientId=${identityClientId};Authorization=AAD'
}

var disabledSettings = toObject(disabledFunctions, f => 'AzureWebJobs.${f}.Disabled', f => 'true')

var allSettings = union(hostSettings, settings, disabledSettings)

resource app 'Microsoft.Web/sites@2024-04-01' = {
  name: name
  location: location
  tags: tags
  kind: 'functionapp,linux,container,azurecontainerapps'
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: {
      '${identityId}': {}
    }
  }
  properties: {
    managedEnvironmentId: environmentId
    workloadProfileName: workloadProfileName
    resourceConfig: {
      cpu: cpu
      memory: memory
    }
    httpsOnly: true
    // Key Vault references in the settings resolve with the app's user-assigned identity.
    keyVaultReferenceIdentity: identityId
    siteConfig: {
      linuxFxVersion: 'DOCKER|${image}'
      acrUseManagedIdentityCreds: pullWithIdentity
      acrUserManagedIdentityID: identityClientId
      minimumElasticInstanceCount: minReplicas
      functionAppScaleLimit: maxReplicas
      appSettings: [for setting in items(allSettings): { name: setting.key, value: string(setting.value) }]
    }
  }
}

output id string = app.id
output name string = app.name
output hostName string = app.properties.defaultHostName
