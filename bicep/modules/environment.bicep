// The Container Apps environment the function apps run in: the default Consumption profile (front app)
// and one serverless GPU profile (expert shards). Its logs go to Log Analytics through a diagnostic
// setting (destination azure-monitor), so no workspace shared key is ever read.

@description('Azure region (one that offers serverless GPUs).')
param location string

@description('Tags for every resource.')
param tags object

@description('Environment name.')
param name string

@description('Serverless GPU workload profile type.')
@allowed([
  'Consumption-GPU-NC8as-T4'
  'Consumption-GPU-NC24-A100'
])
param gpuProfileType string

@description('Name the apps use for the GPU profile.')
param gpuProfileName string

@description('Log Analytics workspace receiving the environment\'s logs.')
param workspaceId string

resource environment 'Microsoft.App/managedEnvironments@2025-01-01' = {
  name: name
  location: location
  tags: tags
  properties: {
    appLogsConfiguration: {
      destination: 'azure-monitor'
    }
    workloadProfiles: [
      {
        name: 'Consumption'
        workloadProfileType: 'Consumption'
      }
      {
        name: gpuProfileName
        workloadProfileType: gpuProfileType
      }
    ]
    zoneRedundant: false
  }
}

resource logs 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = {
  name: 'logs-to-workspace'
  scope: environment
  properties: {
    workspaceId: workspaceId
    logs: [
      {
        categoryGroup: 'allLogs'
        enabled: true
      }
    ]
  }
}

output id string = environment.id
output name string = environment.name
