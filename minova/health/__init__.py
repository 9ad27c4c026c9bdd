"""Health of minova's services: checks, the healthcheck apps, the RPC
services' health port and their consumer watchdog (docs/architecture.md,
"Health")."""
