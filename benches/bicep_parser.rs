//! Bicep parser throughput: generates a few MB of Bicep written the way azd templates and Azure Verified
//! Modules write it (decorated params, user-defined types, loops, nested children, interpolation, lambdas),
//! parses it several times and prints MB/s. Run with `cargo bench --bench bicep_parser`.

use azengage::iac::bicep::parse;
use std::fmt::Write;
use std::time::Instant;

/// One realistic module-sized chunk; `i` keeps names distinct.
fn chunk(out: &mut String, i: usize) {
    let _ = write!(
        out,
        r#"
@sys.description('Optional. Location for all resources.')
param location{i} string = resourceGroup().location

@allowed([
  'Standard_LRS'
  'Standard_ZRS'
])
param skuName{i} string = 'Standard_LRS'

@export()
type settings{i} = {{
  @sys.description('Required. The name.')
  name: string
  @minValue(1)
  count: int?
  tags: {{ *: string }}?
  mode: 'Incremental' | 'Complete'
}}

var names{i} = [for n in range(0, 3): 'st${{uniqueString(resourceGroup().id, '{i}')}}${{n}}']
var merged{i} = union(baseTags, {{ 'azd-service-name': 'svc{i}' }}, {{
  index: {i}
}})

/* storage for service {i} */
resource storage{i} 'Microsoft.Storage/storageAccounts@2023-01-01' = if (deployStorage) {{
  name: toLower('st${{take(uniqueString(resourceGroup().id), 10)}}{i}')
  location: location{i}
  kind: 'StorageV2'
  sku: {{
    name: skuName{i}
  }}
  properties: {{
    minimumTlsVersion: 'TLS1_2'
    allowBlobPublicAccess: false
    networkAcls: {{
      defaultAction: empty(allowedIps) ? 'Allow' : 'Deny'
      ipRules: map(allowedIps, ip => {{ value: ip, action: 'Allow' }})
    }}
  }}

  resource blob{i} 'blobServices' = {{
    name: 'default'
    resource containers{i} 'containers' = [for (c, idx) in containerNames: if (!empty(c)) {{
      name: c
      properties: {{
        publicAccess: 'None'
      }}
    }}]
  }}
}}

// Role assignments for service {i}
resource role{i} 'Microsoft.Authorization/roleAssignments@2022-04-01' = [for principal in (principals ?? []): {{
  name: guid(storage{i}.id, principal.id, roleId)
  scope: storage{i}
  properties: {{
    principalId: principal.id
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roleId)
    principalType: principal.?type ?? 'ServicePrincipal'
  }}
}}]

module app{i} './modules/app.bicep' = {{
  name: 'app-{i}-${{uniqueString(deployment().name)}}'
  params: {{
    location: location{i}
    storageId: storage{i}.id
    settings: merged{i}
    connection: 'DefaultEndpointsProtocol=https;AccountName=${{storage{i}.name}};AccountKey=${{storage{i}.listKeys().keys[0].value}}'
  }}
}}

output storageId{i} string = storage{i}.id
output lastName{i} string = names{i}[^1]
"#
    );
}

fn main() {
    let mut source =
        String::from("targetScope = 'resourceGroup'\nparam deployStorage bool = true\n");
    let mut i = 0;
    while source.len() < 4 * 1024 * 1024 {
        chunk(&mut source, i);
        i += 1;
    }
    let first = parse(&source);
    assert!(
        first.errors.is_empty(),
        "generated Bicep should parse cleanly: {:?}",
        first.errors.first()
    );
    let runs = 5;
    let start = Instant::now();
    let mut statements = 0;
    for _ in 0..runs {
        statements += std::hint::black_box(parse(std::hint::black_box(&source)))
            .statements
            .len();
    }
    let seconds = start.elapsed().as_secs_f64();
    let megabytes = (source.len() * runs) as f64 / (1024.0 * 1024.0);
    println!(
        "bicep_parser: {:.1} MB x {runs} runs, {} statements per run, {:.3} s, {:.1} MB/s",
        source.len() as f64 / (1024.0 * 1024.0),
        statements / runs,
        seconds,
        megabytes / seconds
    );
}
