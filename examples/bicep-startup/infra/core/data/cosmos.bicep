metadata description = 'Creates an Azure Cosmos DB for NoSQL account with one database and container.'

param accountName string
param location string = resourceGroup().location
param tags object = {}
param databaseName string = 'chat'

@description('Containers to create, with their partition keys.')
param containers array = [
  { name: 'conversations', partitionKey: '/userId' }
  { name: 'messages', partitionKey: '/conversationId' }
]

resource account 'Microsoft.DocumentDB/databaseAccounts@2024-05-15' = {
  name: accountName
  location: location
  tags: tags
  kind: 'GlobalDocumentDB'
  properties: {
    databaseAccountOfferType: 'Standard'
    consistencyPolicy: {
      defaultConsistencyLevel: 'Session'
    }
    locations: [
      {
        locationName: location
        failoverPriority: 0
        isZoneRedundant: false
      }
    ]
    capabilities: [ { name: 'EnableServerless' } ]
    disableLocalAuth: true
  }

  resource database 'sqlDatabases' = {
    name: databaseName
    properties: {
      resource: { id: databaseName }
    }

    resource list 'containers' = [for container in containers: {
      name: container.name
      properties: {
        resource: {
          id: container.name
          partitionKey: { paths: [ container.partitionKey ], kind: 'Hash' }
        }
      }
    }]
  }
}

output endpoint string = account.properties.documentEndpoint
output accountName string = account.name
