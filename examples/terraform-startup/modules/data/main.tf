variable "name" { type = string }
variable "location" { type = string }
variable "resource_group_name" { type = string }
variable "subnet_id" { type = string }
variable "admin_password" {
  type      = string
  sensitive = true
}

resource "azurerm_postgresql_flexible_server" "main" {
  name                          = "psql-${var.name}"
  resource_group_name           = var.resource_group_name
  location                      = var.location
  version                       = "16"
  delegated_subnet_id           = var.subnet_id
  administrator_login           = "contosoadmin"
  administrator_password        = var.admin_password
  public_network_access_enabled = false
  storage_mb                    = 32768
  sku_name                      = "GP_Standard_D2s_v3"
  zone                          = "1"
}

resource "azurerm_postgresql_flexible_server_database" "app" {
  name      = "app"
  server_id = azurerm_postgresql_flexible_server.main.id
  collation = "en_US.utf8"
  charset   = "utf8"
}

resource "azurerm_redis_cache" "main" {
  name                 = "redis-${var.name}"
  location             = var.location
  resource_group_name  = var.resource_group_name
  capacity             = 1
  family               = "C"
  sku_name             = "Standard"
  minimum_tls_version  = "1.2"
}

output "connection_string" {
  value     = "postgresql://contosoadmin@${azurerm_postgresql_flexible_server.main.fqdn}:5432/app"
  sensitive = true
}
