//! Unit tests of command classification, one group per sentence of the contract's tool list.

use super::*;

fn bash_tools(command: &str) -> Vec<&'static str> {
    classify(command, Dialect::Bash)
}

fn classify(command: &str, dialect: Dialect) -> Vec<&'static str> {
    shell::parse(command, dialect)
        .iter()
        .flat_map(|c| command_tools(&c.expand(&Vars::new()), dialect))
        .collect()
}

fn none(command: &str) {
    assert!(
        bash_tools(command).is_empty(),
        "{command} → {:?}",
        bash_tools(command)
    );
}

fn is(command: &str, tool: &str) {
    assert_eq!(bash_tools(command), vec![tool], "{command}");
}

#[test]
fn azd_up_provision_deploy() {
    is("azd up --no-prompt", AZD);
    is("azd provision --no-prompt -e dev", AZD);
    is("azd deploy --all", AZD);
    is("/usr/local/bin/azd deploy web", AZD);
}

#[test]
fn azd_setup_login_preview_and_down_are_not_deployments() {
    none("azd auth login --client-id x --federated-credential-provider github");
    none("azd env new dev --location eastus");
    none("azd env set AZURE_LOCATION eastus");
    none("azd provision --preview");
    none("azd down --force --purge");
    none("azd package");
}

#[test]
fn az_deployment_create_at_every_scope() {
    is(
        "az deployment group create -g rg -f main.bicep",
        AZ_DEPLOYMENT,
    );
    is(
        "az deployment sub create -l eastus -f main.bicep",
        AZ_DEPLOYMENT,
    );
    is(
        "az deployment mg create -m mg1 -l eastus -f main.bicep",
        AZ_DEPLOYMENT,
    );
    is(
        "az deployment tenant create -l eastus -f main.bicep",
        AZ_DEPLOYMENT,
    );
    is(
        "az group deployment create -g rg --template-file azuredeploy.json",
        AZ_DEPLOYMENT,
    );
    is(
        "az --only-show-errors deployment group create -g rg -f main.bicep",
        AZ_DEPLOYMENT,
    );
    is(
        "az stack group create --name s -g rg -f main.bicep --action-on-unmanage deleteAll",
        AZ_DEPLOYMENT,
    );
    is(
        "az stack sub create --name s -l eastus -f main.bicep",
        AZ_DEPLOYMENT,
    );
}

#[test]
fn az_deployment_what_if_and_validate_are_not_deployments() {
    none("az deployment group create -g rg -f main.bicep --what-if");
    none("az deployment group create -g rg -f main.bicep -w");
    none("az deployment group what-if -g rg -f main.bicep");
    none("az deployment sub validate -l eastus -f main.bicep");
    none("az deployment group delete -g rg -n dep");
    none("az stack group delete --name s -g rg");
}

#[test]
fn terraform_apply_only() {
    is("terraform apply -auto-approve tfplan", TERRAFORM);
    is("terraform -chdir=infra apply -input=false", TERRAFORM);
    none("terraform plan -out tfplan");
    none("terraform init -backend-config=backend.hcl");
    none("terraform destroy -auto-approve");
    none("terraform apply -destroy -auto-approve");
    none("terraform validate");
}

#[test]
fn helm_install_and_upgrade() {
    is(
        "helm upgrade --install web ./charts/web -n prod --wait",
        HELM,
    );
    is("helm install web oci://contoso.azurecr.io/helm/web", HELM);
    is("helm --kube-context aks-prod upgrade web ./chart", HELM);
    none("helm upgrade --install web ./chart --dry-run");
    none("helm install web ./chart --dry-run=server");
    none("helm uninstall web");
    none("helm template web ./chart");
    none("helm repo add bitnami https://charts.bitnami.com/bitnami");
}

#[test]
fn kubectl_writes() {
    is("kubectl apply -f k8s/", KUBECTL);
    is(
        "kubectl create secret generic db --from-literal=pw=x",
        KUBECTL,
    );
    is("kubectl replace --force -f job.yaml", KUBECTL);
    is(
        "kubectl set image deployment/web web=contoso.azurecr.io/web:1",
        KUBECTL,
    );
    is("kubectl -n prod rollout restart deployment/web", KUBECTL);
    none("kubectl apply -f k8s/ --dry-run=client");
    none("kubectl rollout status deployment/web");
    none("kubectl get pods -n prod");
    none("kubectl delete -f k8s/");
    none("kubectl set env deployment/web X=1");
}

#[test]
fn acr_pushes() {
    is("docker push contoso.azurecr.io/web:1.0", ACR_PUSH);
    is("docker image push contoso.azurecr.io/web:latest", ACR_PUSH);
    is(
        "docker buildx build --push -t contoso.azurecr.io/web:1 .",
        ACR_PUSH,
    );
    is("az acr build -r contoso -t web:1 .", ACR_PUSH);
    is(
        "az acr import -n contoso --source docker.io/library/nginx:latest",
        ACR_PUSH,
    );
    none("docker push ghcr.io/contoso/web:1");
    none("docker push contoso/web:1");
    none("docker build -t contoso.azurecr.io/web:1 .");
    none("az acr login -n contoso");
    none("az acr build -r contoso -t web:1 --no-push .");
}

#[test]
fn azure_powershell_write_cmdlets_in_powershell() {
    let ps = |c: &str| classify(c, Dialect::PowerShell);
    assert_eq!(
        ps("New-AzResourceGroup -Name rg -Location westeurope"),
        vec![AZURE_POWERSHELL]
    );
    assert_eq!(
        ps("Set-AzWebApp -Name web -ResourceGroupName rg -AppSettings $s"),
        vec![AZURE_POWERSHELL]
    );
    assert_eq!(
        ps("update-azfunctionappsetting -Name f -ResourceGroupName rg"),
        vec![AZURE_POWERSHELL]
    );
    assert_eq!(
        ps("Publish-AzWebApp -ArchivePath app.zip -Name web -ResourceGroupName rg"),
        vec![AZURE_POWERSHELL]
    );
    assert_eq!(
        ps("New-AzResourceGroupDeployment -ResourceGroupName rg -TemplateFile main.bicep"),
        vec![AZURE_POWERSHELL]
    );
    assert_eq!(
        ps("New-AzSubscriptionDeployment -Location eastus -TemplateFile main.bicep"),
        vec![AZURE_POWERSHELL]
    );
    assert!(
        ps("New-AzResourceGroupDeployment -ResourceGroupName rg -TemplateFile main.bicep -WhatIf")
            .is_empty()
    );
    assert!(ps("Get-AzWebApp -Name web").is_empty());
    assert!(ps("Remove-AzResourceGroup -Name rg -Force").is_empty());
    assert!(ps("Set-AzContext -Subscription $id").is_empty());
    assert!(ps("Connect-AzAccount -Identity").is_empty());
    assert!(bash_tools("New-AzResourceGroup -Name rg -Location westeurope").is_empty());
}

#[test]
fn azure_cli_write_verbs() {
    for command in [
        "az group create -n rg -l westeurope",
        "az webapp update -g rg -n web --https-only true",
        "az webapp config appsettings set -g rg -n web --settings A=1",
        "az network vnet subnet update -g rg --vnet-name vnet -n app --nsg nsg-app",
        "az monitor diagnostic-settings create -n d --resource x --workspace w",
        "az containerapp ingress traffic set -n app -g rg --revision-weight latest=100",
        "az containerapp up -n app --source .",
        "az webapp start -g rg -n web",
        "az webapp restart -g rg -n web",
        "az aks scale -g rg -n aks --node-count 3",
        "az webapp deploy -g rg -n web --src-path app.zip",
        "az sql db import -g rg -s srv -n db --storage-uri x",
        "az aks enable-addons -g rg -n aks -a monitoring",
        "az webapp deployment source config-zip -g rg -n web --src app.zip",
        "az functionapp deployment source config-zip -g rg -n fn --src fn.zip",
        "az storage blob upload-batch -s dist -d '$web' --account-name st",
        "az webapp deployment slot swap -g rg -n web --slot staging",
        "az keyvault set-policy -n kv --object-id x --secret-permissions get",
        "az role assignment create --assignee x --role Reader",
    ] {
        is(command, AZURE_CLI);
    }
}

#[test]
fn azure_cli_setup_commands_are_not_writes() {
    none("az login --service-principal -u x -p y --tenant t");
    none("az account set --subscription $SUB");
    none("az config set defaults.group=rg");
    none("az extension add --name containerapp --upgrade");
    none("az bicep install");
    none("az bicep build --file main.bicep");
    none("az acr login --name contoso");
    none("az aks get-credentials -g rg -n aks");
    none("az upgrade --yes");
}

#[test]
fn azure_cli_reads_are_not_writes() {
    none("az group show -n rg");
    none("az webapp list -g rg");
    none("az keyvault secret show --vault-name kv -n s");
    none("az webapp deployment list-publishing-profiles -g rg -n web");
    none("az aks get-upgrades -g rg -n aks");
    none("az graph query -q 'Resources | take 1'");
    none("az deployment group wait --created -g rg -n dep");
    none("az group exists -n rg");
    none("az group delete -n rg --yes");
    none("az containerapp update -n app -g rg --dry-run");
}

#[test]
fn az_rest_counts_with_put_post_patch() {
    is(
        "az rest --method put --url https://management.azure.com/x --body @body.json",
        AZURE_CLI,
    );
    is(
        "az rest -m POST --uri https://management.azure.com/x/restart",
        AZURE_CLI,
    );
    is("az rest --method=patch --url x", AZURE_CLI);
    none("az rest --url https://management.azure.com/subscriptions");
    none("az rest --method get --url x");
    none("az rest --method delete --url x");
}

#[test]
fn aks_command_invoke_counts_kubectl_and_helm_writes() {
    is(
        "az aks command invoke -g rg -n aks --command \"kubectl apply -f deploy.yaml -n prod\" --file deploy.yaml",
        AZURE_CLI,
    );
    is(
        "az aks command invoke -g rg -n aks -c 'helm upgrade --install web ./chart'",
        AZURE_CLI,
    );
    none("az aks command invoke -g rg -n aks --command \"kubectl get pods -A\"");
    none(
        "az aks command invoke -g rg -n aks --command \"kubectl apply -f x.yaml --dry-run=server\"",
    );
}

#[test]
fn verb_table() {
    assert!(
        az_verb_writes("create") && az_verb_writes("enable-addons") && az_verb_writes("config-zip")
    );
    assert!(
        !az_verb_writes("show") && !az_verb_writes("list") && !az_verb_writes("get-credentials")
    );
    assert!(
        !az_verb_writes("validate")
            && !az_verb_writes("what-if")
            && !az_verb_writes("wait")
            && !az_verb_writes("delete")
    );
}

#[test]
fn acr_references() {
    assert!(is_acr_reference("contoso.azurecr.io/web:1"));
    assert!(is_acr_reference("Contoso.AzureCR.io"));
    assert!(is_acr_reference("contoso.azurecr.io:443/web"));
    assert!(!is_acr_reference("contoso.azurecr.io.evil.com/web"));
    assert!(!is_acr_reference("ghcr.io/contoso/azurecr.io"));
}
