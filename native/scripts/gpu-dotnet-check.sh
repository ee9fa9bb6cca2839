#!/usr/bin/env bash
# Runs the C# side of a native backend through the packed CLI (native/scripts/dotnet-pack.sh), on a machine
# without .NET: `deepseek run` with the backend against `--backend onnx-cpu` on the demo bundle and on a SwiGLU
# bundle (same routing, outputs within 1e-4), then one short `deepseek bench batching` round with it.
# Usage: native/scripts/gpu-dotnet-check.sh ARCHIVE [libdeepseek_moe_cuda.so]
#   DSM_CHECK_BACKEND=native-cpu checks the CPU library instead (a dry run of this script on any machine).
# Prints one closing line: "dotnet-check: passed ..." or "dotnet-check: FAILED ...".
set -uo pipefail

archive="${1:?usage: gpu-dotnet-check.sh ARCHIVE [libdeepseek_moe_cuda.so]}"
cuda_lib="${2:-}"
backend="${DSM_CHECK_BACKEND:-native-cuda}"
tolerance=1e-4
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

fail() { echo "dotnet-check: FAILED ($*)"; exit 1; }

[ -f "$archive" ] || fail "no archive at $archive: run native/scripts/dotnet-pack.sh where .NET is installed"
command -v python3 > /dev/null || fail "python3 is needed to write the input and compare the outputs"
tar -C "$work" -xJf "$archive" || fail "could not unpack $archive"
cli="$work/deepseek/deepseek"
# A bare machine may lack ICU, without which .NET does not start; the check needs no culture data.
ldconfig -p 2>/dev/null | grep -q libicuuc || export DOTNET_SYSTEM_GLOBALIZATION_INVARIANT=1
[ -x "$cli" ] || fail "the archive holds no deepseek executable"
if [ "$backend" = native-cuda ]; then
    [ -f "$cuda_lib" ] || fail "native-cuda needs the built libdeepseek_moe_cuda.so as the second argument"
    cp "$cuda_lib" "$work/deepseek/runtimes/linux-x64/native/" || fail "could not place $cuda_lib"
fi

python3 - "$work/in.json" <<'EOF'
import json, random, sys
rng = random.Random(11)
json.dump({"inputs": [[rng.gauss(0, 1) for _ in range(256)] for _ in range(64)]}, open(sys.argv[1], "w"))
EOF

# deepseek run KIND: the bundle of that expert kind on both backends, compared.
compare_kind() {
    local kind="$1" bundle="$work/bundle-$1"
    "$cli" model init --out "$bundle" --kind "$kind" > /dev/null || fail "model init --kind $kind"
    for b in onnx-cpu "$backend"; do
        "$cli" run --model "$bundle" --input "$work/in.json" --seed 17 --backend "$b" --output "$work/$kind-$b.json" \
            || fail "deepseek run --backend $b on the $kind bundle"
    done
    python3 - "$work/$kind-onnx-cpu.json" "$work/$kind-$backend.json" "$kind" "$backend" "$tolerance" <<'EOF' || fail "$kind: $backend differs from onnx-cpu"
import json, sys
ref, got = (json.load(open(p)) for p in sys.argv[1:3])
kind, backend, tol = sys.argv[3], sys.argv[4], float(sys.argv[5])
same_routing = [r["experts"] for r in ref["routing"]] == [r["experts"] for r in got["routing"]]
diff = max(abs(a - b) for ra, rb in zip(ref["outputs"], got["outputs"]) for a, b in zip(ra, rb))
print(f"{kind}: {backend} vs onnx-cpu on {len(ref['outputs'])} rows: routing {'same' if same_routing else 'DIFFERENT'}, max |diff| {diff:.2e} (tolerance {tol:g})")
sys.exit(0 if same_routing and diff <= tol and got.get("backend") == backend else 1)
EOF
}

echo "== deepseek run, $backend against onnx-cpu"
compare_kind linear-layernorm-gelu
compare_kind swiglu

echo "== deepseek bench batching --backend $backend (one round, 64 callers)"
"$cli" bench batching --backend "$backend" --rounds 1 --seconds 2 || fail "bench batching --backend $backend"
echo "dotnet-check: passed ($backend equals onnx-cpu within $tolerance on both expert kinds; batching ran)"
