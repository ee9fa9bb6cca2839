# syntax=docker/dockerfile:1
# The GPU function image (src/DeepSeek.Functions): the Azure Functions host for .NET isolated workers, the
# CUDA runtime with cuDNN, ONNX Runtime with its CUDA execution provider (-p:OnnxRuntimeFlavor=gpu), the
# native kernels (libdeepseek_moe, libdeepseek_moe_cuda) and the model bundles under /models.
# Build from the repository root (the azd postprovision hook runs this same build in the registry):
#   docker build -f infra/docker/functions.Dockerfile -t deepseek-functions .
# Build arguments: DEMO_MODEL=false leaves the seeded demo model out (bundles come from infra/models/);
# CUDA_ARCHITECTURES picks the GPUs the CUDA kernels are compiled for.

ARG CUDA_VERSION=13.0.1
# Ubuntu 22.04 (glibc 2.35) for everything native, so that it loads on the newer glibc of the base images.
ARG CUDA_DISTRO=ubuntu22.04

# Native kernels: CPU library always, CUDA library with nvcc. T4 is sm_75, A100 sm_80; PTX 9.0 for later GPUs.
FROM nvidia/cuda:${CUDA_VERSION}-devel-${CUDA_DISTRO} AS native
ARG CUDA_ARCHITECTURES="75-real;80-real;90"
RUN apt-get update \
 && apt-get install -y --no-install-recommends cmake g++ make \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY native/ native/
RUN cmake -S native -B native/build/Release -DCMAKE_BUILD_TYPE=Release \
      -DCMAKE_CUDA_ARCHITECTURES="${CUDA_ARCHITECTURES}" -DDSM_BUILD_TESTS=OFF -DDSM_BUILD_BENCHMARKS=OFF \
 && cmake --build native/build/Release -j"$(nproc)" \
 && test -f native/build/Release/libdeepseek_moe.so \
 && test -f native/build/Release/libdeepseek_moe_cuda.so

# The app, published against the GPU build of ONNX Runtime; MSBuild takes the native libraries built above
# (DsmSkipNativeBuild) instead of running CMake again.
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
COPY global.json Directory.Build.props Directory.Packages.props .editorconfig ./
COPY src/ src/
COPY --from=native /src/native/build/Release/libdeepseek_moe.so /src/native/build/Release/libdeepseek_moe_cuda.so native/build/Release/
RUN dotnet publish src/DeepSeek.Functions/DeepSeek.Functions.csproj -c Release \
      -p:OnnxRuntimeFlavor=gpu -p:DsmSkipNativeBuild=true -o /home/site/wwwroot \
 && test -f /home/site/wwwroot/runtimes/linux-x64/native/libdeepseek_moe_cuda.so \
 && rm -rf /home/site/wwwroot/runtimes/win*

# Model bundles: every bundle folder under infra/models/, plus the seeded demo (byte-identical on every build).
FROM build AS models
ARG DEMO_MODEL=true
COPY infra/models/ /models/
RUN if [ "$DEMO_MODEL" = "true" ]; then \
      dotnet run --project src/DeepSeek.Cli/DeepSeek.Cli.csproj -c Release -p:DsmSkipNativeBuild=true -- model init --out /models/demo; \
    fi

# The CUDA user-space libraries ONNX Runtime's CUDA provider and libdeepseek_moe_cuda load (cudart, cuBLAS,
# cuFFT, cuRAND, NVRTC, cuDNN); the driver itself comes from the GPU host.
FROM nvidia/cuda:${CUDA_VERSION}-cudnn-runtime-${CUDA_DISTRO} AS cuda
RUN mkdir -p /out \
 && cp -a /usr/local/cuda/targets/x86_64-linux/lib/. /out/ \
 && cp -a /usr/lib/x86_64-linux-gnu/libcudnn*.so* /out/

FROM mcr.microsoft.com/azure-functions/dotnet-isolated:4-dotnet-isolated10.0
COPY --from=cuda /out/ /usr/local/cuda/lib64/
RUN echo /usr/local/cuda/lib64 > /etc/ld.so.conf.d/cuda.conf && ldconfig
ENV NVIDIA_VISIBLE_DEVICES=all \
    NVIDIA_DRIVER_CAPABILITIES=compute,utility \
    AzureWebJobsScriptRoot=/home/site/wwwroot \
    AzureFunctionsJobHost__Logging__Console__IsEnabled=true \
    Pipeline__ModelsPath=/models
COPY --from=models /models/ /models/
COPY --from=build /home/site/wwwroot/ /home/site/wwwroot/
