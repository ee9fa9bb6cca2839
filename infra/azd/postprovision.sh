#!/bin/sh
# azd postprovision hook (azure.yaml): builds the images in the deployment's own registry with ACR Tasks
# (`az acr build`, so no local Docker is needed), remembers the image in the azd environment (the next
# `azd provision` keeps it) and points every function app at it, pulled with the app's identity.
#
# Reads the outputs of bicep/main.bicep that azd exports: AZURE_CONTAINER_REGISTRY_NAME,
# AZURE_CONTAINER_REGISTRY_ENDPOINT, MOE_FUNCTION_APP_IDS. Switches (azd env set NAME VALUE):
#   MOE_SKIP_IMAGE_BUILD=true    keep the current images (infrastructure-only change)
#   MOE_BUILD_WORKER_IMAGE=true  also build the worker image for Kubernetes (infra/kubernetes)
#   MOE_DEMO_MODEL=false         leave the seeded demo model out of the images (infra/models/ only)
set -eu

root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root"

if [ "${MOE_SKIP_IMAGE_BUILD:-false}" = "true" ]; then
  echo "postprovision: MOE_SKIP_IMAGE_BUILD=true, images left as they are"
  exit 0
fi

command -v az > /dev/null || { echo "postprovision: the Azure CLI (az) is required; install it and run az login" >&2; exit 1; }

registry="$AZURE_CONTAINER_REGISTRY_NAME"
endpoint="$AZURE_CONTAINER_REGISTRY_ENDPOINT"
tag="$(date -u +%Y%m%d%H%M%S)"

build() {
  # $1 repository, $2 Dockerfile. The context is the repository root (.dockerignore keeps it small).
  echo "postprovision: building $endpoint/$1:$tag in $registry (ACR Tasks; the first build takes a while)"
  az acr build --registry "$registry" --image "$1:$tag" --file "$2" --platform linux/amd64 --timeout 7200 \
    --build-arg "DEMO_MODEL=${MOE_DEMO_MODEL:-true}" .
}

if [ -n "${MOE_FUNCTION_APP_IDS:-}" ]; then
  build deepseek-functions infra/docker/functions.Dockerfile
  image="$endpoint/deepseek-functions:$tag"
  azd env set MOE_FUNCTIONS_IMAGE "$image"
  for app in $MOE_FUNCTION_APP_IDS; do
    echo "postprovision: ${app##*/} -> $image"
    az resource update --ids "$app/config/web" \
      --set "properties.linuxFxVersion=DOCKER|$image" properties.acrUseManagedIdentityCreds=true \
      --output none
  done
fi

if [ "${MOE_BUILD_WORKER_IMAGE:-false}" = "true" ]; then
  build deepseek-worker infra/docker/worker.Dockerfile
  azd env set MOE_WORKER_IMAGE "$endpoint/deepseek-worker:$tag"
fi
