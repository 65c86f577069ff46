param name string
param location string = resourceGroup().location
param tags object = {}
param applicationInsightsName string
param cosmosEndpoint string

@description('The container image to run; azd replaces it on deploy.')
param imageName string = 'mcr.microsoft.com/azuredocs/containerapps-helloworld:latest'

resource applicationInsights 'Microsoft.Insights/components@2020-02-02' existing = {
  name: applicationInsightsName
}

resource environment 'Microsoft.App/managedEnvironments@2024-03-01' = {
  name: 'cae-${name}'
  location: location
  tags: tags
  properties: {
    daprAIConnectionString: applicationInsights.properties.ConnectionString
  }
}

resource registry 'Microsoft.ContainerRegistry/registries@2023-07-01' = {
  name: replace('cr${name}', '-', '')
  location: location
  tags: tags
  sku: { name: 'Basic' }
  properties: { adminUserEnabled: false }
}

resource app 'Microsoft.App/containerApps@2024-03-01' = {
  name: name
  location: location
  tags: tags
  identity: { type: 'SystemAssigned' }
  properties: {
    managedEnvironmentId: environment.id
    configuration: {
      ingress: { external: true, targetPort: 8000, transport: 'auto' }
      registries: [
        { server: registry.properties.loginServer, identity: 'system' }
      ]
    }
    template: {
      containers: [
        {
          name: 'api'
          image: imageName
          env: [
            { name: 'AZURE_COSMOS_ENDPOINT', value: cosmosEndpoint }
            { name: 'APPLICATIONINSIGHTS_CONNECTION_STRING', value: applicationInsights.properties.ConnectionString }
          ]
          resources: { cpu: json('0.5'), memory: '1.0Gi' }
        }
      ]
      scale: { minReplicas: 1, maxReplicas: 3 }
    }
  }
}

output uri string = 'https://${app.properties.configuration.ingress.fqdn}'
