variable "prefix" {
  type        = string
  description = "Short name used in every resource name."
  default     = "contoso"
}

variable "location" {
  type        = string
  description = "Primary Azure region."
  default     = "westeurope"
}

variable "environment" {
  type    = string
  default = "dev"
}

variable "db_admin_password" {
  type      = string
  sensitive = true
}

variable "tags" {
  type = map(string)
  default = {
    project = "contoso-ai"
  }
}
