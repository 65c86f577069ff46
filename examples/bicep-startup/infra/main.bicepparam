using './main.bicep'

param environmentName = readEnvironmentVariable('AZURE_ENV_NAME', 'fabrikam-dev')
param location = readEnvironmentVariable('AZURE_LOCATION', 'francecentral')
param principalId = readEnvironmentVariable('AZURE_PRINCIPAL_ID', '')
