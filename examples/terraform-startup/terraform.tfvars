environment = "prod"
location    = "West Europe"
