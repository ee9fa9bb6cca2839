# syntax=docker/dockerfile:1
# The worker image (src/DeepSeek.Worker): every pipeline stage on the WebJobs SDK queue listener plus the
# HTTP routes, for Kubernetes with KEDA (infra/kubernetes) and the local compose stack (infra/compose.yaml).
# The same GPU build as the function image: CUDA runtime with cuDNN, ONNX Runtime's CUDA provider, the
# native kernels, the model bundles under /models. Build from the repository root:
#   docker build -f infra/docker/worker.Dockerfile -t deepseek-worker .
# Build arguments: DEMO_MODEL=false leaves the seeded demo model out; CUDA_ARCHITECTURES as in
# functions.Dockerfile.

ARG CUDA_VERSION=13.0.1
# Ubuntu 22.04 (glibc 2.35) for everything native, so that it loads on the newer glibc of the base image.
ARG CUDA_DISTRO=ubuntu22.04

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

FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
COPY global.json Directory.Build.props Directory.Packages.props .editorconfig ./
COPY src/ src/
COPY --from=native /src/native/build/Release/libdeepseek_moe.so /src/native/build/Release/libdeepseek_moe_cuda.so native/build/Release/
RUN dotnet publish src/DeepSeek.Worker/DeepSeek.Worker.csproj -c Release \
      -p:OnnxRuntimeFlavor=gpu -p:DsmSkipNativeBuild=true -o /app \
 && test -f /app/runtimes/linux-x64/native/libdeepseek_moe_cuda.so \
 && rm -rf /app/runtimes/win*

FROM build AS models
ARG DEMO_MODEL=true
COPY infra/models/ /models/
RUN if [ "$DEMO_MODEL" = "true" ]; then \
      dotnet run --project src/DeepSeek.Cli/DeepSeek.Cli.csproj -c Release -p:DsmSkipNativeBuild=true -- model init --out /models/demo; \
    fi

FROM nvidia/cuda:${CUDA_VERSION}-cudnn-runtime-${CUDA_DISTRO} AS cuda
RUN mkdir -p /out \
 && cp -a /usr/local/cuda/targets/x86_64-linux/lib/. /out/ \
 && cp -a /usr/lib/x86_64-linux-gnu/libcudnn*.so* /out/

FROM mcr.microsoft.com/dotnet/aspnet:10.0
COPY --from=cuda /out/ /usr/local/cuda/lib64/
RUN echo /usr/local/cuda/lib64 > /etc/ld.so.conf.d/cuda.conf && ldconfig
ENV NVIDIA_VISIBLE_DEVICES=all \
    NVIDIA_DRIVER_CAPABILITIES=compute,utility \
    ASPNETCORE_HTTP_PORTS=8080 \
    Pipeline__ModelsPath=/models
COPY --from=models /models/ /models/
COPY --from=build /app/ /app/
WORKDIR /app
USER $APP_UID
EXPOSE 8080
ENTRYPOINT ["dotnet", "DeepSeek.Worker.dll"]
